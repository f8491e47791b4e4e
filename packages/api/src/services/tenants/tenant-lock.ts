import type { TenantDb } from "@tenantry/db";

/**
 * Serialises a tenant's check-then-write decisions (free seats, the last owner, plan fit):
 * whoever holds the tenant row decides; a concurrent request waits, then sees the result.
 * Held until the request's transaction ends.
 */
export async function lockTenant(tenantDb: TenantDb, tenantId: string): Promise<void> {
  await tenantDb.$queryRaw`select id from tenants where id = ${tenantId}::uuid for update`;
}
