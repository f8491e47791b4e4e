import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { connectPglite } from "../connection/pglite.ts";
import { connectPostgres } from "../connection/postgres.ts";
import type { DatabaseConnection } from "../connection/types.ts";
import { emptyClusterSnapshot } from "../connection/pglite-shadow.ts";
import { readMigrationList } from "../migrations/migration-files.ts";
import { applyMigrations } from "../migrations/migrator.ts";
import { findWorkspaceLayout } from "../workspace-layout.ts";

/** The repository these tests run in. */
const layout = findWorkspaceLayout(import.meta.dirname);

/**
 * Test databases start migrated: every migration is applied once, to a template, and each test
 * database is a copy of it (PostgreSQL: `CREATE DATABASE … TEMPLATE`; PGlite: a data-folder
 * tarball loaded into a new instance, which also skips `initdb`). Templates are named by a
 * fingerprint of the migrations, so an edited or added migration gets a new template, while
 * every package and worker of a run (and the next run) shares one.
 */

/** Hash of every migration's name and SQL, and of the PGlite version (snapshots are its format). */
async function migrationsFingerprint(): Promise<string> {
  const list = await readMigrationList(layout);
  const hash = createHash("sha256");
  for (const dir of list.migrationDirectories) {
    hash.update(`${dir.path}\0${dir.migrationFile.content.value}\0`);
  }
  hash.update(pgliteVersion());
  // How the template is made: a change here must not reuse templates made the old way.
  hash.update(dropTemplateDatabases.toString());
  return hash.digest("hex").slice(0, 16);
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * A test database never creates databases (PGlite serves one), so the cluster's template0 and
 * template1 only weigh on every copy: without them the snapshot is a third smaller and each
 * test's PGlite starts ~30% sooner.
 */
async function dropTemplateDatabases(connection: DatabaseConnection): Promise<void> {
  const session = await connection.openSession("test template");
  try {
    await session.query("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
    await session.query("DROP DATABASE template0");
    await session.query("DROP DATABASE template1");
    await session.query("CHECKPOINT");
  } finally {
    await session.close();
  }
}

let pgliteTemplate: Promise<Blob> | undefined;

/** The migrated PGlite snapshot: built on first use (a few seconds), then read from disk. */
export function migratedPgliteSnapshot(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const dir = path.join(tmpdir(), "tenantry-test-templates");
    const file = path.join(dir, `pglite-${await migrationsFingerprint()}.tar`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return new Blob([cached]);

    const connection = await connectPglite("memory://", await emptyClusterSnapshot());
    let snapshot: Blob;
    try {
      await applyMigrations(connection, layout);
      await dropTemplateDatabases(connection);
      snapshot = await connection.dumpDataDir!();
    } finally {
      await connection.close();
    }
    // Written whole, then renamed: a concurrent run never reads half a file.
    await mkdir(dir, { recursive: true });
    const partial = `${file}.${process.pid}-${randomBytes(4).toString("hex")}`;
    await writeFile(partial, new Uint8Array(await snapshot.arrayBuffer()));
    await rename(partial, file);
    return snapshot;
  })();
  return pgliteTemplate;
}

const postgresTemplates = new Map<string, Promise<string>>();

/**
 * The name of the migrated template database on the server at `serverUrl`, built on first use.
 * Builders across processes take turns on an advisory lock, and a template appears under its
 * name only once complete (built under another name, then renamed).
 */
export function migratedPostgresTemplate(serverUrl: string): Promise<string> {
  let template = postgresTemplates.get(serverUrl);
  if (!template) {
    template = buildPostgresTemplate(serverUrl);
    postgresTemplates.set(serverUrl, template);
  }
  return template;
}

async function buildPostgresTemplate(serverUrl: string): Promise<string> {
  const name = `tenantry_template_${await migrationsFingerprint()}`;
  return withAdminClient(serverUrl, async (admin) => {
    const exists = async () => (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;
    if (await exists()) return name;
    await admin.query("select pg_advisory_lock(hashtext('tenantry test template'))");
    try {
      if (await exists()) return name;
      const building = `${name}_building_${randomBytes(4).toString("hex")}`;
      await admin.query(`CREATE DATABASE "${building}"`);
      const url = new URL(serverUrl);
      url.pathname = `/${building}`;
      const connection = await connectPostgres({ url: url.toString(), poolMax: 1 });
      try {
        await applyMigrations(connection, layout);
      } finally {
        await connection.close();
      }
      // The engine's pool may still be closing; a template must have no connections.
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [building]);
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      return name;
    } finally {
      await admin.query("select pg_advisory_unlock(hashtext('tenantry test template'))");
    }
  });
}

export async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
