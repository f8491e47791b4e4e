import { beginWithScope, scopeStatement, type PendingScope } from "./connection/scope-on-begin.ts";
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
 * On PostgreSQL the settings ride on the transaction's `BEGIN` (scope-on-begin.ts); when they
 * could not (the embedded database, a value not shaped like an id), they are set here, first.
 */
function inScopedTransaction<T>(db: DbClient, tenantId: string, userId: string, work: (tx: TenantDb) => Promise<T>): Promise<T> {
  const sql = scopeStatement(tenantId, userId);
  const scope: PendingScope = { sql: sql ?? "", applied: false, closed: sql === undefined };
  return beginWithScope(scope, () =>
    db.$transaction(
      async (tx) => {
        scope.closed = true;
        if (!scope.applied) {
          await tx.$queryRaw`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId}, true)`;
        }
        return work(tx);
      },
      { maxWait: 10_000, timeout: 30_000 },
    ),
  );
}
