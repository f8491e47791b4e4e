import { createHash } from "node:crypto";
import type { DatabaseConnection } from "../connection/types.ts";
import type { MigrationList } from "@prisma/schema-engine-wasm";

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished: boolean;
  rolled_back: boolean;
}

/**
 * Whether the database's `_prisma_migrations` records exactly the migrations on disk, each
 * finished, none rolled back, none edited since (the checksum Prisma records is the SHA-256 of
 * the file). This is what every start of an up-to-date database finds, and answering it with one
 * query spares loading the schema engine's WebAssembly (~0.3 s). Anything else, including a
 * database without the table, returns false: the engine then works out what exactly differs.
 */
export async function historyMatchesDisk(db: DatabaseConnection, list: MigrationList): Promise<boolean> {
  const onDisk = new Map<string, string>();
  for (const dir of list.migrationDirectories) {
    if (dir.migrationFile.content.tag !== "ok") return false;
    onDisk.set(dir.path, createHash("sha256").update(dir.migrationFile.content.value).digest("hex"));
  }
  const session = await db.openSession("tenantry migration status");
  try {
    const [table] = await session.query<{ exists: boolean }>("select to_regclass('_prisma_migrations') is not null as exists");
    if (!table?.exists) return false;
    const rows = await session.query<HistoryRow>(
      `select migration_name, checksum, finished_at is not null as finished, rolled_back_at is not null as rolled_back
         from _prisma_migrations`,
    );
    const applied = new Set<string>();
    for (const row of rows) {
      if (row.rolled_back) continue;
      if (!row.finished || onDisk.get(row.migration_name) !== row.checksum) return false;
      applied.add(row.migration_name);
    }
    return applied.size === onDisk.size;
  } finally {
    await session.close();
  }
}
