import type { DbClient } from "../database.ts";
import { readMigrationList, type SchemaLocation } from "./migration-files.ts";

/** Names of the migrations on disk, in order. */
export async function migrationNamesOnDisk(location: SchemaLocation) {
  const list = await readMigrationList(location);
  return list.migrationDirectories.map((d) => d.path);
}

/**
 * Which of `expected` the database has not finished applying. One cheap query, so it can
 * back a readiness probe (the schema engine would take a hundred milliseconds to start).
 */
export async function missingMigrations(prisma: DbClient, expected: string[]): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
    `select migration_name from _prisma_migrations
      where finished_at is not null and rolled_back_at is null`,
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  return expected.filter((name) => !applied.has(name));
}
