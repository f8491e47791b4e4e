import { scopeStatement } from "./connection/scope-on-begin.ts";
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
 * query; on PostgreSQL the settings travel with its BEGIN, so they cost no round trip of their
 * own. Outside such a transaction the settings are empty and tenant-owned tables show no rows.
 */
export function withTenantScope<T>(db: DbClient, scope: TenantScope, work: (tx: TenantDb) => Promise<T>): Promise<T> {
  return inScopedTransaction(db, scope.tenantId, scope.userId ?? "", work);
}

/**
 * A transaction with only `app.user_id` set: the user's own memberships (and their tenants)
 * are visible, no tenant's other rows are. For account-level work such as "my tenants".
 */
export function withUserScope<T>(db: DbClient, userId: string, work: (tx: TenantDb) => Promise<T>): Promise<T> {
  return inScopedTransaction(db, "", userId, work);
}

/**
 * The scope is the transaction's first statement. On PostgreSQL it travels with the BEGIN, in
 * the same round trip (scope-on-begin.ts).
 */
function inScopedTransaction<T>(db: DbClient, tenantId: string, userId: string, work: (tx: TenantDb) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe(scopeStatement, tenantId, userId);
      return work(tx);
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
