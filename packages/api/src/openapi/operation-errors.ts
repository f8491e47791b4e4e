import type { ErrorStatus, ProcedureInfo } from "@tenantry/api-core";

/**
 * Every app code an operation can answer with, by HTTP status: what the HTTP edge and the
 * error mapping can answer for any procedure, what its builders imply (read from the meta they
 * set: sign-in, tenant, roles, module), and what the procedure declares itself (`errors`).
 */
export type OperationErrors = Map<ErrorStatus | 500, Set<string>>;

type Codes = Partial<Record<ErrorStatus | 500, readonly string[]>>;

/**
 * Any procedure: the edge's refusals (a body's size and media type are checked whatever the
 * method), input validation, and the database mapping.
 */
const everyOperation: Codes = {
  400: ["VALIDATION_FAILED", "MALFORMED_REQUEST", "INPUT_TOO_DEEP", "INVALID_TEXT", "VALUE_OUT_OF_RANGE"],
  413: ["PAYLOAD_TOO_LARGE"],
  415: ["UNSUPPORTED_MEDIA_TYPE"],
  500: ["INTERNAL_ERROR"],
  503: ["DATABASE_UNAVAILABLE"],
};

/**
 * Anything that writes: a concurrent transaction may win (a deadlock's victim), or delete the
 * row first (the database mapping's generic NOT_FOUND); a unique or foreign key the procedure
 * does not map to its own code answers the mapping's ALREADY_EXISTS or REFERENCE_INVALID.
 */
const writes: Codes = { 400: ["REFERENCE_INVALID"], 404: ["NOT_FOUND"], 409: ["ALREADY_EXISTS", "WRITE_CONFLICT"] };

/** Path parameters: a `.`, `..` or encoded slash as a value is refused at the edge. */
const withPathParameters: Codes = { 400: ["INVALID_PATH"] };

/** Paginated lists: a cursor the endpoint never issued. */
const paginated: Codes = { 400: ["INVALID_CURSOR"] };

/** A bearer token, checked: missing, expired, forged, or its session ended. */
const signedIn: Codes = { 401: ["UNAUTHENTICATED", "TOKEN_EXPIRED", "TOKEN_INVALID", "SESSION_REVOKED"] };

/** A token that may be left out, but is checked when sent. */
const optionalToken: Codes = { 401: ["TOKEN_EXPIRED", "TOKEN_INVALID", "SESSION_REVOKED"] };

/** A tenant resolved from the domain, the subdomain or `X-Tenant`. */
const tenant: Codes = { 400: ["TENANT_REQUIRED"], 403: ["TENANT_SUSPENDED"], 404: ["TENANT_NOT_FOUND"] };

const member: Codes = { 403: ["NOT_A_MEMBER"] };
const tenantAdmin: Codes = { 403: ["TENANT_ADMIN_ONLY"] };
const permission: Codes = { 403: ["PERMISSION_DENIED"] };
const platformAdmin: Codes = { 403: ["PLATFORM_ADMIN_ONLY"] };

/** Module procedures for visitors and customers: one generic refusal, whatever the reason. */
const modulePublicFacing: Codes = { 403: ["MODULE_NOT_ENABLED"] };
/** Module procedures for members: why the module cannot serve, said plainly. */
const moduleForMembers: Codes = { 403: ["MODULE_NOT_ENABLED", "MODULE_NOT_IN_PLAN"], 409: ["MODULE_SETTINGS_INVALID"] };
/** Customers' writes are rate limited per tenant and user. */
const rateLimited: Codes = { 429: ["RATE_LIMITED"] };

export interface OperationShape {
  hasPathParameters: boolean;
  /** Takes a `cursor` (a paginated list). */
  paginated: boolean;
}

export function operationErrors(procedure: ProcedureInfo, shape: OperationShape): OperationErrors {
  const meta = procedure.meta ?? {};
  const sets: Codes[] = [everyOperation];
  if (procedure.type === "mutation") sets.push(writes);
  if (shape.paginated) sets.push(paginated);
  if (shape.hasPathParameters) sets.push(withPathParameters);
  if (meta.openapi?.protect) sets.push(signedIn);
  else if (meta.acceptsToken) sets.push(optionalToken);
  if (meta.tenantScope) sets.push(tenant);
  if (meta.tenantScope === "member" || meta.tenantScope === "admin") sets.push(member);
  if (meta.tenantScope === "admin") sets.push(tenantAdmin);
  if (meta.permission) sets.push(permission);
  if (meta.platformAdminOnly) sets.push(platformAdmin);
  if (meta.module) {
    const publicFacing = meta.tenantScope === "public" || meta.tenantScope === "customer";
    sets.push(publicFacing ? modulePublicFacing : moduleForMembers);
    if (meta.tenantScope === "customer" && procedure.type === "mutation") sets.push(rateLimited);
  }
  if (meta.errors) sets.push(meta.errors);

  const errors: OperationErrors = new Map();
  for (const codes of sets) {
    for (const [status, list] of Object.entries(codes)) {
      const key = Number(status) as ErrorStatus | 500;
      const set = errors.get(key) ?? new Set<string>();
      for (const code of list ?? []) set.add(code);
      errors.set(key, set);
    }
  }
  return new Map([...errors].sort(([a], [b]) => a - b));
}
