import { withTenantScope, type TenantDb, type TenantIdentity } from "@tenantry/db";
import type { Context } from "../context.ts";
import { NotAMemberError, TenantRequiredError, TenantSuspendedError } from "./tenant-errors.ts";
import type { MemberRole } from "./permissions.ts";

export interface TenantContext {
  tenant: TenantIdentity;
  /** The only way to tenant-owned data: every query runs with this tenant set. */
  tenantDb: TenantDb;
}

export async function resolveRequestTenant(ctx: Context): Promise<TenantIdentity> {
  const tenant = await ctx.tenancy.resolver.resolve({ host: ctx.host, header: ctx.tenantHeader });
  if (!tenant) throw new TenantRequiredError();
  if (tenant.status !== "active") throw new TenantSuspendedError();
  return tenant;
}

/**
 * Runs the rest of the procedure inside one tenant-scoped transaction. A failed procedure must
 * roll back, so a failed result is rethrown here (tRPC's `next()` reports failure as a value).
 */
export async function inTenantScope<T extends { ok: boolean }>(
  ctx: Context,
  tenant: TenantIdentity,
  userId: string | undefined,
  next: (tenantContext: TenantContext) => Promise<T>,
): Promise<T> {
  return withTenantScope(ctx.db, { tenantId: tenant.id, userId }, async (tenantDb) => {
    const result = await next({ tenant, tenantDb });
    if (!result.ok) throw (result as unknown as { error: unknown }).error;
    return result;
  });
}

export async function membershipRole(tenantDb: TenantDb, tenantId: string, userId: string): Promise<MemberRole> {
  const membership = await tenantDb.tenantMember.findUnique({
    where: { tenantId_userId: { tenantId, userId } },
    select: { role: true },
  });
  if (!membership) throw new NotAMemberError();
  return membership.role;
}
