import type { DbClient } from "./database.ts";

/** The client inside a tenant-scoped transaction: every query runs with the tenant set. */
export type TenantDb = Parameters<Extract<Parameters<DbClient["$transaction"]>[0], (...args: never[]) => unknown>>[0];

export interface TenantScope {
  tenantId: string;
  /** The signed-in user, so policies can show a user their own memberships across tenants. */
  userId?: string | undefined;
}

/**
 * Runs `work` in one transaction with `app.tenant_id` (and `app.user_id`) set transaction-local,
 * which the row-level-security policies read. One transaction per request rather than per
 * query keeps the cost to one extra statement. Outside such a transaction the settings are
 * empty and tenant-owned tables show no rows.
 */
export function withTenantScope<T>(db: DbClient, scope: TenantScope, work: (tx: TenantDb) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`select set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId ?? ""}, true)`;
      return work(tx);
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/**
 * A transaction with only `app.user_id` set: the user's own memberships (and their tenants)
 * are visible, no tenant's other rows are. For account-level work such as "my tenants".
 */
export function withUserScope<T>(db: DbClient, userId: string, work: (tx: TenantDb) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`select set_config('app.tenant_id', '', true), set_config('app.user_id', ${userId}, true)`;
      return work(tx);
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
