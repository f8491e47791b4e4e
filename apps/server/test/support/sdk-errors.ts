import { isTenantryError } from "@tenantry/sdk";

/** The stable code of a failed SDK call (fails the test if the call did not fail that way). */
export async function appCodeOf(pending: Promise<unknown>): Promise<string> {
  const error = await pending.then(
    () => new Error("expected the call to fail"),
    (e: unknown) => e,
  );
  if (!isTenantryError(error)) throw error;
  return error.data.appCode;
}
