import type { TenantDb } from "@tenantry/db";

/**
 * Serialises a tenant's check-then-write decisions (free seats, the last owner, plan fit,
 * switching modules on and off): whoever holds the tenant row decides; a concurrent request
 * waits, then sees the result. Held until the request's transaction ends.
 *
 * FOR NO KEY UPDATE, not FOR UPDATE: it conflicts with itself but not with the KEY SHARE lock
 * every foreign-key insert takes on the tenant row, so orders, notifications and other rows of
 * the tenant are written meanwhile instead of queueing behind a decision (or a module's hook).
 */
export async function lockTenant(tenantDb: TenantDb, tenantId: string): Promise<void> {
  await tenantDb.$queryRaw`select id from tenants where id = ${tenantId}::uuid for no key update`;
}
