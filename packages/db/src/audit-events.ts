import type { DbClient } from "./database.ts";
import type { TenantDb } from "./tenant-scope.ts";

/**
 * A transaction in which every tenant's audit events are readable (`app.audit_scope` =
 * `platform`, transaction-local; the row-level-security policy reads it). For the platform
 * admins' listing only: nothing else in it is widened, and it ends with the transaction.
 */
export function withPlatformAuditScope<T>(db: DbClient, work: (tx: TenantDb) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe("select set_config('app.audit_scope', 'platform', true)");
      return work(tx);
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/**
 * Deletes the events older than `olderThan`, every tenant's and the platform's. The application
 * role may not delete audit events itself; the database function it calls does, as the owner.
 */
export async function purgeAuditEvents(db: DbClient, olderThan: Date): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ count: bigint }>>`select purge_audit_events(${olderThan}) as count`;
  return Number(row?.count ?? 0);
}
