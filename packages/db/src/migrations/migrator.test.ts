import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../database.ts";
import { UniqueConstraintError } from "../errors.ts";
import { testBackends, type TestDatabase } from "../testing/index.ts";
import { readModuleSchemaFiles } from "../schema/compose-schema.ts";
import { readMigrationList, type SchemaLocation } from "./migration-files.ts";
import { historyMatchesDisk } from "./recorded-history.ts";
import { findWorkspaceLayout } from "../workspace-layout.ts";

const repository = findWorkspaceLayout(import.meta.dirname);
import { applyMigrations, createMigration, diffMigrationsToSchema, MigrationFailedError, migrationStatus } from "./migrator.ts";

/** A copy of the real schema and migrations that a test may add to. */
async function copyOfSchema(): Promise<SchemaLocation & { modulesDir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "tenantry-migrations-"));
  const location = {
    schemaPath: path.join(dir, "schema.prisma"),
    migrationsDir: path.join(dir, "migrations"),
    modulesDir: path.join(dir, "modules"),
  };
  await cp(repository.schemaPath, location.schemaPath);
  await cp(repository.migrationsDir, location.migrationsDir, { recursive: true });
  await mkdir(location.modulesDir);
  for (const moduleSchema of await readModuleSchemaFiles(repository.modulesDir)) {
    const target = path.join(location.modulesDir, path.relative(repository.modulesDir, moduleSchema.file));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, moduleSchema.content);
  }
  return { ...location, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function addMigration(location: SchemaLocation, name: string, sql: string) {
  await mkdir(path.join(location.migrationsDir, name), { recursive: true });
  await writeFile(path.join(location.migrationsDir, name, "migration.sql"), sql);
}

// Each diff boots the WASM schema engine and replays every migration into a fresh PGlite
// (about 10 s on an idle machine); CI runs every package at once on two cores.
describe("drift", { timeout: 300_000 }, () => {
  it("the committed migrations produce exactly the schema", async () => {
    const drift = await diffMigrationsToSchema(repository);
    expect(drift, `schema.prisma changed without a migration; run pnpm db:migrate:create --name <change>:\n${drift}`).toBe("");
  });

  it("is detected when the schema changes without a migration, and create writes the fix", async () => {
    const copy = await copyOfSchema();
    try {
      const schema = await readFile(copy.schemaPath, "utf8");
      await writeFile(copy.schemaPath, schema.replace("model Tenant {\n", "model Tenant {\n  motto String?\n"));
      // createMigration is the diff written down: the drift is the script it writes. Each diff
      // replays every migration (seconds of CPU), so the drift and its absence are read once each.
      const created = await createMigration("add_motto", copy, new Date("2030-01-02T03:04:05Z"));
      expect(created?.script).toContain('ADD COLUMN     "motto" TEXT');
      expect(created?.name).toBe("20300102030405_add_motto");
      expect(await readFile(path.join(copy.migrationsDir, created!.name, "migration.sql"), "utf8")).toBe(`${created!.script}\n`);
      // Null only when the diff is empty: the new migration closed the drift.
      expect(await createMigration("nothing_changed", copy)).toBeNull();
    } finally {
      await copy.cleanup();
    }
  });

  it("composes a module's models in and puts row-level security on its tenant-owned tables", async () => {
    const copy = await copyOfSchema();
    try {
      await mkdir(path.join(copy.modulesDir, "guest-book", "prisma"), { recursive: true });
      await writeFile(
        path.join(copy.modulesDir, "guest-book", "prisma", "models.prisma"),
        `model GuestBookEntry {
  id       String @id @default(uuid()) @db.Uuid
  tenantId String @map("tenant_id") @db.Uuid
  text     String
  tenant   Tenant @relation(fields: [tenantId], references: [id], onDelete: Cascade)

  @@map("guest_book_entries")
}
`,
      );
      const created = await createMigration("guest_book", copy);
      expect(created?.script).toContain('CREATE TABLE "guest_book_entries"');
      expect(created?.script).toContain("SELECT enable_tenant_isolation('\"guest_book_entries\"');");
      expect(created?.script).toMatch(/REFERENCES "tenants"\("id"\) ON DELETE CASCADE/);
      expect(await diffMigrationsToSchema(copy)).toBe("");
    } finally {
      await copy.cleanup();
    }
  });

  it("refuses a migration name that is not a safe folder name", async () => {
    await expect(createMigration("../escape", repository)).rejects.toThrow(/lower-case letters/);
  });
});

describe.each(testBackends())("migrations on $name", (backend) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await backend.create({ empty: true });
    db = await openDatabase(testDb.options);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it("migrates an empty database, then re-running is a no-op", { timeout: 240_000 }, async () => {
    const before = await migrationStatus(db, repository);
    expect(before.pending.length).toBeGreaterThan(0);

    const applied = await applyMigrations(db, repository);
    expect(applied).toEqual(before.pending);
    expect(await migrationStatus(db, repository)).toEqual({
      pending: [],
      failed: [],
      inProgress: [],
      edited: [],
      unknown: [],
    });
    expect(await applyMigrations(db, repository)).toEqual([]);
  });

  it("answers an up-to-date history from the table alone, and leaves any difference to the engine", async () => {
    await applyMigrations(db, repository);
    const list = await readMigrationList(repository);
    // Prisma's recorded checksums are what this computes: the engine is not needed to say so.
    expect(await historyMatchesDisk(db, list)).toBe(true);

    const [first, ...rest] = list.migrationDirectories;
    const edited = {
      ...first!,
      migrationFile: { ...first!.migrationFile, content: { tag: "ok" as const, value: "-- edited\n" } },
    };
    expect(await historyMatchesDisk(db, { ...list, migrationDirectories: [edited, ...rest] })).toBe(false);
    const extra = { ...first!, path: "20990101000000_not_applied" };
    expect(await historyMatchesDisk(db, { ...list, migrationDirectories: [...list.migrationDirectories, extra] })).toBe(false);
    expect(await historyMatchesDisk(db, { ...list, migrationDirectories: rest })).toBe(false);
  });

  it.runIf(backend.name === "postgres")("leaves no engine connection behind, so none keeps its advisory lock", async () => {
    await applyMigrations(db, repository);
    const client = new pg.Client({ connectionString: testDb.options.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "select pid from pg_locks where locktype = 'advisory' and objid = 72707369 and database = (select oid from pg_database where datname = current_database())",
      );
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });

  // Constraints, not row-level security, are under test here: the owner writes.
  it("turns a duplicate slug into a UniqueConstraintError naming the field", async () => {
    await db.withOwner((owner) => owner.tenant.create({ data: { slug: "acme", name: "Acme" } }));
    const duplicate = db.withOwner((owner) => owner.tenant.create({ data: { slug: "acme", name: "Other" } }));
    await expect(duplicate).rejects.toBeInstanceOf(UniqueConstraintError);
    await expect(duplicate).rejects.toMatchObject({ fields: ["slug"], model: "Tenant" });
  });

  it("enforces the hand-written CHECK constraints", async () => {
    await expect(db.withOwner((owner) => owner.tenant.create({ data: { slug: "Not A Slug", name: "x" } }))).rejects.toThrow(
      /tenants_slug_format/,
    );
    expect(await db.withOwner((owner) => owner.tenant.count({ where: { name: "x" } }))).toBe(0);
  });
});

describe.each(testBackends())("migration scripts on $name", (backend) => {
  let testDb: TestDatabase;
  let db: Database;
  let copy: Awaited<ReturnType<typeof copyOfSchema>>;

  beforeAll(async () => {
    copy = await copyOfSchema();
  });
  afterEach(async () => {
    await db?.close();
    await testDb?.drop();
  });
  afterAll(async () => {
    await copy.cleanup();
  });

  async function freshDatabase() {
    testDb = await backend.create();
    db = await openDatabase(testDb.options);
  }

  it("runs DO $$ blocks and functions whose bodies contain semicolons", async () => {
    await freshDatabase();
    await addMigration(
      copy,
      "20990101000000_functions",
      `CREATE FUNCTION slug_of(name text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE result text;
BEGIN
  result := lower(regexp_replace(name, '[^a-zA-Z0-9]+', '-', 'g'));
  RETURN trim(both '-' from result);
END;
$$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'slug_of') THEN
    RAISE EXCEPTION 'function missing';
  END IF;
  CREATE TABLE do_block_ran (id int);
END;
$$;
`,
    );
    try {
      await applyMigrations(db, copy);
      const rows = await db.prisma.$queryRawUnsafe<Array<{ slug: string }>>("select slug_of('Hello, World!') as slug");
      expect(rows[0]?.slug).toBe("hello-world");
      expect(await db.prisma.$queryRawUnsafe("select * from do_block_ran")).toEqual([]);
    } finally {
      await rm(path.join(copy.migrationsDir, "20990101000000_functions"), { recursive: true });
    }
  });

  it("reports a failing migration with the database's error and does not mark it applied", async () => {
    await freshDatabase();
    await addMigration(copy, "20990101000001_broken", "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n");
    try {
      const attempt = applyMigrations(db, copy);
      await expect(attempt).rejects.toBeInstanceOf(MigrationFailedError);
      await expect(attempt).rejects.toThrow(/no_such_table/);

      const status = await migrationStatus(db, copy);
      expect(status.failed).toEqual(["20990101000001_broken"]);
      const record = await db.prisma.$queryRawUnsafe<Array<{ finished_at: Date | null }>>(
        "select finished_at from _prisma_migrations where migration_name = '20990101000001_broken'",
      );
      expect(record).toEqual([{ finished_at: null }]);
      // The script ran as one implicit transaction: its first statement left nothing behind.
      const leftovers = await db.prisma.$queryRawUnsafe<unknown[]>(
        "select 1 from information_schema.tables where table_name = 'half_done'",
      );
      expect(leftovers).toEqual([]);
      // A later run refuses to go on past a failed migration instead of skipping it.
      await expect(applyMigrations(db, copy)).rejects.toThrow(/20990101000001_broken/);
    } finally {
      await rm(path.join(copy.migrationsDir, "20990101000001_broken"), { recursive: true });
    }
  });
});
