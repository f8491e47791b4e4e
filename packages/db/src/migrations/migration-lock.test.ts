import { hostname } from "node:os";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../database.ts";
import { testBackends, type TestDatabase } from "../testing/index.ts";
import { findWorkspaceLayout } from "../workspace-layout.ts";
import type { LockHolder } from "./advisory-locks.ts";
import { withMigrationLock } from "./migration-lock.ts";
import { migrationStatus } from "./migrator.ts";

const repository = findWorkspaceLayout(import.meta.dirname);
const postgres = testBackends().find((b) => b.name === "postgres");

describe.each(testBackends())("the migration lock on $name", (backend) => {
  let testDb: TestDatabase | undefined;
  const open: Database[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
    await testDb?.drop();
  });

  // Opens an empty database (PGlite boots its WASM build): minutes when CI runs every package at once.
  it("runs the work holding it and lets go afterwards", { timeout: 240_000 }, async () => {
    testDb = await backend.create({ empty: true });
    const db = await openDatabase(testDb.options);
    open.push(db);
    const waits: unknown[] = [];
    expect(await withMigrationLock(db, async () => "done", { waiting: (holder) => waits.push(holder) })).toBe("done");
    await expect(withMigrationLock(db, () => Promise.reject(new Error("work failed")))).rejects.toThrow("work failed");
    expect(await withMigrationLock(db, async () => "again", { waiting: (holder) => waits.push(holder) })).toBe("again");
    expect(waits).toEqual([]);
  });
});

describe.runIf(postgres)("the migration lock between processes (PostgreSQL)", () => {
  let testDb: TestDatabase | undefined;
  const open: Database[] = [];
  const clients: pg.Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await Promise.all(open.splice(0).map((db) => db.close()));
    await testDb?.drop();
  });

  async function connect(options: TestDatabase["options"]) {
    const client = new pg.Client({ connectionString: options.url });
    await client.connect();
    clients.push(client);
    return client;
  }

  it("makes a second taker wait, saying who holds it, until the first lets go", async () => {
    testDb = await postgres!.create({ empty: true });
    const [first, second] = [await openDatabase(testDb.options), await openDatabase(testDb.options)];
    open.push(first, second);
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));

    const firstRun = withMigrationLock(first, async () => {
      order.push("first in");
      holding();
      await released;
      order.push("first out");
    });
    await held;
    let waitedFor: LockHolder | undefined;
    let waitedMs: number | undefined;
    const secondRun = withMigrationLock(
      second,
      async () => {
        order.push("second in");
      },
      { waiting: (holder) => (waitedFor = holder), acquired: (ms) => (waitedMs = ms) },
    );
    await expect.poll(() => waitedFor, { timeout: 10_000 }).toBeDefined();
    expect(waitedFor?.application).toBe(`tenantry migrations: ${hostname()} pid ${process.pid}`.slice(0, 63));
    expect(order).toEqual(["first in"]);

    release();
    await Promise.all([firstRun, secondRun]);
    expect(order).toEqual(["first in", "first out", "second in"]);
    expect(waitedMs).toBeGreaterThanOrEqual(0);
  });

  it("calls an unfinished migration in progress while the engine's lock is held elsewhere, failed otherwise", async () => {
    testDb = await postgres!.create();
    const db = await openDatabase(testDb.options);
    open.push(db);
    const owner = await connect(testDb.options);
    const applier = await connect(testDb.options);
    const name = "20990101000000_being_applied";
    await owner.query(
      `insert into _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
       values (gen_random_uuid()::text, repeat('0', 64), $1, now(), 0)`,
      [name],
    );

    // Another process's schema engine at work: its lock held, no error recorded yet.
    await applier.query("select pg_advisory_lock(72707369)");
    expect(await migrationStatus(db, repository)).toMatchObject({ inProgress: [name], failed: [] });

    // Its error recorded: whatever holds the lock, this one failed.
    await owner.query("update _prisma_migrations set logs = 'ERROR: relation \"x\" does not exist' where migration_name = $1", [
      name,
    ]);
    expect(await migrationStatus(db, repository)).toMatchObject({ inProgress: [], failed: [name] });

    // No error and nobody applying: the process applying it died; it failed too.
    await owner.query("update _prisma_migrations set logs = null where migration_name = $1", [name]);
    await applier.query("select pg_advisory_unlock(72707369)");
    expect(await migrationStatus(db, repository)).toMatchObject({ inProgress: [], failed: [name] });
  });
});
