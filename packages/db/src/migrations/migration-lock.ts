import { hostname } from "node:os";
import type { DatabaseConnection } from "../connection/types.ts";
import { advisoryLockHolder, type LockHolder } from "./advisory-locks.ts";

/**
 * The advisory lock a Tenantry process holds while it reads or changes the migration history
 * (server start, `pnpm db:migrate`). Any fixed number but the schema engine's own, 72707369: the
 * engine takes that one on a connection of its own while it applies, inside this lock.
 */
export const migrationLockKey = 4_728_150_613;

export interface MigrationLockEvents {
  /** Another session holds the lock (`holder`, unless it let go meanwhile); this one waits. */
  waiting?(holder: LockHolder | undefined): void;
  /** The lock was taken after waiting `waitedMs`. */
  acquired?(waitedMs: number): void;
}

/**
 * Runs `work` while holding the migration lock, on a session of its own, waiting for it as long
 * as it takes: another instance may be in the middle of a migration that lasts minutes, and
 * reading the history meanwhile would show that migration as started and unfinished. PGlite
 * has a single session, so the lock is always free there; the path is the same.
 */
export async function withMigrationLock<T>(
  db: DatabaseConnection,
  work: () => Promise<T>,
  events: MigrationLockEvents = {},
): Promise<T> {
  const session = await db.openSession(`tenantry migrations: ${hostname()} pid ${process.pid}`.slice(0, 63));
  try {
    const [attempt] = await session.query<{ locked: boolean }>("select pg_try_advisory_lock($1::bigint) as locked", [
      migrationLockKey,
    ]);
    if (!attempt?.locked) {
      const waitingSince = Date.now();
      events.waiting?.(await advisoryLockHolder(session, migrationLockKey));
      // No timeout of the role's or the database's may cut the wait short.
      await session.query("select set_config('lock_timeout', '0', false), set_config('statement_timeout', '0', false)");
      await session.query("select pg_advisory_lock($1::bigint)", [migrationLockKey]);
      events.acquired?.(Date.now() - waitingSince);
    }
    try {
      return await work();
    } finally {
      // A session that broke has lost the lock with it; the work's own outcome matters more.
      await session.query("select pg_advisory_unlock($1::bigint)", [migrationLockKey]).catch(() => {});
    }
  } finally {
    await session.close();
  }
}
