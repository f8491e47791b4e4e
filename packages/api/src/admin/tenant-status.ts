import { TenantNotFoundError, type Actor, type Context } from "@tenantry/api-core";
import { findTenantByReference, withTenantScope } from "@tenantry/db";
import { auditAdminChange } from "../audit/audit-trail.ts";

export type TenantStatus = "active" | "suspended";

export interface TenantStatusEntry {
  id: string;
  slug: string;
  status: TenantStatus;
}

/**
 * Platform admins suspend a tenant (every procedure of it then answers 403 TENANT_SUSPENDED,
 * its storefront and domains included) and reactivate it. Nothing is deleted: reactivating
 * restores everything. The change is logged with the admin's id and reason, and the tenant
 * cache is cleared after the change commits, on every instance sharing the bus.
 */
export async function setTenantStatus(
  ctx: Pick<Context, "db" | "log" | "tenancy" | "ip" | "userAgent">,
  admin: Actor,
  input: { tenant: string; status: TenantStatus; reason?: string | undefined },
): Promise<TenantStatusEntry> {
  const found = await findTenantByReference(ctx.db, input.tenant);
  if (!found) throw new TenantNotFoundError(input.tenant);
  const updated = await withTenantScope(ctx.db, { tenantId: found.id }, async (tx) => {
    const row = await tx.tenant.update({
      where: { id: found.id },
      data: { status: input.status },
      select: { id: true, slug: true, status: true },
    });
    if (found.status !== input.status) {
      await auditAdminChange(tx, ctx, admin, found.id, {
        action: input.status === "suspended" ? "tenant.suspended" : "tenant.reactivated",
        targetType: "tenant",
        targetId: found.id,
        details: input.reason ? { reason: input.reason.slice(0, 500) } : {},
      });
    }
    return row;
  });
  ctx.tenancy.resolver.invalidateTenant(found.id);
  ctx.log.warn(
    { adminId: admin.userId, tenantId: found.id, from: found.status, to: input.status, reason: input.reason },
    input.status === "suspended" ? "platform admin suspended a tenant" : "platform admin reactivated a tenant",
  );
  return updated;
}
