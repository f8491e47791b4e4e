import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaFilter } from "@prisma/schema-engine-wasm";
import { connectPglite } from "../connection/pglite.ts";
import { emptyClusterSnapshot } from "../connection/kept-clusters.ts";
import type { DatabaseConnection } from "../connection/types.ts";
import { closableConnections } from "./engine-connections.ts";
import { migrationsInProgress } from "./migrations-in-progress.ts";
import { historyMatchesDisk } from "./recorded-history.ts";
import { readMigrationList, readSchemaFiles, writeMigration, type SchemaLocation } from "./migration-files.ts";
import { startSchemaEngine, type SchemaEngine } from "./schema-engine.ts";

const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

/** A migration the database refused; `message` carries the database's own error. */
export class MigrationFailedError extends Error {
  override name = "MigrationFailedError";
}

export interface MigrationStatus {
  /** Migrations on disk that the database has not applied. */
  pending: string[];
  /** Migrations that started and failed; they need fixing before anything else applies. */
  failed: string[];
  /** Migrations another process is applying right now (started, no error, its lock held). */
  inProgress: string[];
  /** Applied migrations whose file changed afterwards. */
  edited: string[];
  /** Applied in the database but missing on disk. */
  unknown: string[];
}

async function withEngine<T>(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  location: SchemaLocation,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const connections = closableConnections(adapter);
  const engine = await startSchemaEngine(await readSchemaFiles(location), connections.factory);
  try {
    return await run(engine);
  } catch (error) {
    throw new MigrationFailedError(engineErrorMessage(error), { cause: error });
  } finally {
    engine.free();
    await connections.closeAll();
  }
}

/** The engine rejects with a JSON-ish object; keep what a person needs to read. */
function engineErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object") {
    const e = error as { message?: string; error?: string };
    if (typeof e.message === "string") return e.message;
    if (typeof e.error === "string") return e.error;
  }
  return String(error);
}

/** Applies every pending migration; returns the names applied now (empty: nothing to do). */
export async function applyMigrations(db: DatabaseConnection, location: SchemaLocation): Promise<string[]> {
  const migrationsList = await readMigrationList(location);
  return db.withOwnerRole(() =>
    withEngine(db.migrationAdapter(), location, async (engine) => {
      const out = await engine.applyMigrations({ migrationsList, filters: noFilter });
      return out.appliedMigrationNames;
    }),
  );
}

export async function migrationStatus(db: DatabaseConnection, location: SchemaLocation): Promise<MigrationStatus> {
  const migrationsList = await readMigrationList(location);
  if (await historyMatchesDisk(db, migrationsList)) {
    return { pending: [], failed: [], inProgress: [], edited: [], unknown: [] };
  }
  const status = await db.withOwnerRole(() =>
    withEngine(db.migrationAdapter(), location, async (engine) => {
      const out = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: noFilter,
      });
      const history = out.history;
      const all = migrationsList.migrationDirectories.map((d) => d.path);
      const pending = !out.hasMigrationsTable
        ? all
        : history && history.diagnostic !== "migrationsDirectoryIsBehind"
          ? history.unappliedMigrationNames
          : [];
      const unknown = history && history.diagnostic !== "databaseIsBehind" ? history.unpersistedMigrationNames : [];
      return {
        pending: pending.filter((name) => !out.failedMigrationNames.includes(name)),
        unfinished: out.failedMigrationNames,
        edited: out.editedMigrationNames,
        unknown,
      };
    }),
  );
  // The engine calls every unfinished migration failed, one being applied as it looks included.
  const { unfinished, ...rest } = status;
  const inProgress = await migrationsInProgress(db, unfinished);
  return { ...rest, failed: unfinished.filter((name) => !inProgress.includes(name)), inProgress };
}

/** Drops everything in the database (tables, types, migration history). */
export async function resetDatabase(db: DatabaseConnection, location: SchemaLocation): Promise<void> {
  await db.withOwnerRole(() => withEngine(db.migrationAdapter(), location, (engine) => engine.reset({ filter: noFilter })));
}

/**
 * Runs `work` against a throw-away in-memory PGlite. Creating and checking migrations only
 * needs somewhere to replay them, so neither touches a real database or needs CREATEDB.
 */
async function withScratchDatabase<T>(work: (db: DatabaseConnection) => Promise<T>): Promise<T> {
  const scratch = await connectPglite("memory://", await emptyClusterSnapshot());
  try {
    return await work(scratch);
  } finally {
    await scratch.close();
  }
}

/**
 * The SQL that would take a database migrated with every migration on disk to the schema.
 * Empty when they agree; anything else is drift: the schema changed without a migration.
 */
export async function diffMigrationsToSchema(location: SchemaLocation): Promise<string> {
  const migrationsList = await readMigrationList(location);
  const files = await readSchemaFiles(location);
  return withScratchDatabase((scratch) =>
    withEngine(scratch.migrationAdapter(), location, async (engine) => {
      const out = await engine.diff({
        from: { tag: "migrations", ...migrationsList },
        to: { tag: "schemaDatamodel", files },
        script: true,
        exitCode: null,
        filters: noFilter,
      });
      return stripEmptyMarker(out.stdout ?? "");
    }),
  );
}

function stripEmptyMarker(script: string): string {
  return script.replace(/^-- This is an empty migration\.\s*$/m, "").trim();
}

/**
 * Writes the next migration (`<timestamp>_<name>/migration.sql`): the difference between the
 * replayed migrations and the schema. Returns null when there is nothing to migrate. (The
 * engine's own `createMigration` insists on a shadow database from a URL, which the WASM
 * build cannot open; `diff` replays on the adapter's shadow database and gives the same SQL.)
 */
export async function createMigration(
  name: string,
  location: SchemaLocation,
  now: Date = new Date(),
): Promise<{ name: string; dir: string; script: string } | null> {
  if (!/^[a-z0-9][a-z0-9_]*$/.test(name)) {
    throw new MigrationFailedError(
      `Migration name "${name}" must be lower-case letters, digits and underscores (e.g. add_invitations).`,
    );
  }
  const diff = await diffMigrationsToSchema(location);
  if (!diff) return null;
  const script = withTenantIsolation(diff);
  const migrationName = `${migrationTimestamp(now)}_${name}`;
  const dir = await writeMigration(location, migrationName, `${script}\n`);
  return { name: migrationName, dir, script };
}

/**
 * Every table the script creates with a `tenant_id` column is tenant-owned: row-level security
 * goes on in the same migration, so a new (module) table is never readable across tenants.
 */
export function withTenantIsolation(script: string): string {
  const tenantTables = [...script.matchAll(/CREATE TABLE "(\w+)" \(([\s\S]*?)\n\);/g)]
    .filter((match) => /^\s*"tenant_id" UUID NOT NULL/m.test(match[2]!))
    .map((match) => match[1]!);
  if (tenantTables.length === 0) return script;
  const calls = tenantTables.map((table) => `SELECT enable_tenant_isolation('"${table}"');`).join("\n");
  return `${script}\n\n-- Tenant-owned tables: row-level security as for the core tables.\n${calls}`;
}

/** `YYYYMMDDHHMMSS` in UTC, the prefix the Prisma CLI gives migration folders. */
function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}
