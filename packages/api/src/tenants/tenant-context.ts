import type { Actor, Context, MemberRole, TenantContext } from "@tenantry/api-core";

/**
 * What a service acting inside a tenant gets from a tenant member procedure. Deliberately no
 * `db`: inside a tenant, data is reached only through `tenantDb` (and on PGlite, whose one
 * connection the tenant transaction holds, a query on another client would wait forever).
 */
export type MemberContext = Pick<Context, "auth" | "tenancy" | "log" | "ip" | "userAgent"> &
  TenantContext & { actor: Actor; membership: { role: MemberRole } };
