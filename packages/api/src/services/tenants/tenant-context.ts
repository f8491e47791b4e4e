import type { Actor } from "../../auth/authenticate.ts";
import type { Context } from "../../context.ts";
import type { MemberRole } from "../../tenancy/permissions.ts";
import type { TenantContext } from "../../tenancy/tenant-scope-middleware.ts";

/** What a service acting inside a tenant gets from a tenant member procedure. */
export type MemberContext = Pick<Context, "auth" | "tenancy" | "log" | "db"> &
  TenantContext & { actor: Actor; membership: { role: MemberRole } };
