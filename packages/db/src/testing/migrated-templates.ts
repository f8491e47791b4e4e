import { randomBytes } from "node:crypto";
import pg from "pg";
import { connectPostgres } from "../connection/postgres.ts";
import { migratedCluster, migrationsFingerprint } from "../migrations/migrated-cluster.ts";
import { applyMigrations } from "../migrations/migrator.ts";
import { findWorkspaceLayout } from "../workspace-layout.ts";

/** The repository these tests run in. */
const layout = findWorkspaceLayout(import.meta.dirname);

/**
 * Test databases start migrated: every migration is applied once, to a template, and each test
 * database is a copy of it (PostgreSQL: `CREATE DATABASE … TEMPLATE`; PGlite: a data-folder
 * tarball loaded into a new instance, which also skips `initdb`; the same one a new development
 * database starts from). Templates are named by a
 * fingerprint of the migrations, so an edited or added migration gets a new template, while
 * every package and worker of a run (and the next run) shares one.
 */

let pgliteTemplate: Promise<Blob> | undefined;

/** The migrated PGlite snapshot: the install's (see `migratedCluster`), or built on first use. */
export function migratedPgliteSnapshot(): Promise<Blob> {
  pgliteTemplate ??= migratedCluster(layout);
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
  const name = `tenantry_template_${await migrationsFingerprint(layout)}`;
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
