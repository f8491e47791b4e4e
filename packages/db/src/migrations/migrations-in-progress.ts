import type { DatabaseConnection } from "../connection/types.ts";
import { advisoryLockHolder } from "./advisory-locks.ts";

/** The lock the schema engine holds, on a connection of its own, while it applies migrations. */
const schemaEngineLockKey = 72707369;

/**
 * Of `unfinished` (migrations the history shows started and neither finished nor rolled back),
 * those another process is applying at this moment: no error recorded for them, and a session
 * holds the schema engine's apply lock. The others really failed: the database rolled their
 * script back, with an error in `logs`, or with none when the process applying it died.
 */
export async function migrationsInProgress(db: DatabaseConnection, unfinished: string[]): Promise<string[]> {
  if (unfinished.length === 0) return [];
  const session = await db.openSession("tenantry migration status");
  try {
    if (!(await advisoryLockHolder(session, schemaEngineLockKey))) return [];
    const rows = await session.query<{ migration_name: string }>(
      `select migration_name from _prisma_migrations
        where migration_name = any($1::text[]) and finished_at is null and rolled_back_at is null and logs is null`,
      [unfinished],
    );
    return rows.map((row) => row.migration_name);
  } finally {
    await session.close();
  }
}
