import type { Actor } from "../../auth/authenticate.ts";
import type { Context } from "../../context.ts";
import type { MemberRole } from "../../tenancy/permissions.ts";
import type { TenantContext } from "../../tenancy/tenant-scope-middleware.ts";

/**
 * What a service acting inside a tenant gets from a tenant member procedure. Deliberately no
 * `db`: inside a tenant, data is reached only through `tenantDb` (and on PGlite, whose one
 * connection the tenant transaction holds, a query on another client would wait forever).
 */
export type MemberContext = Pick<Context, "auth" | "tenancy" | "log"> &
  TenantContext & { actor: Actor; membership: { role: MemberRole } };
