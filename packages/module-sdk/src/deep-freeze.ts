/**
 * Freezes `value` and everything reachable from it. For values shared between requests (a
 * cached module state): a procedure that tried to change one would throw, not leak its change
 * into other tenants' requests.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
