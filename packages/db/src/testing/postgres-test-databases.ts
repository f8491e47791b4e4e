import { randomBytes } from "node:crypto";
import type pg from "pg";
import { emptyForReuse, templateFingerprint, type RunSql } from "./database-reuse.ts";
import { migratedPostgresTemplate, withAdminClient } from "./migrated-templates.ts";

/** Per server: emptied databases of this process, ready for the next test (see database-reuse.ts). */
const ready = new Map<string, string[]>();
const fingerprints = new Map<string, Promise<string | undefined>>();
const swept = new Set<string>();

const namePrefix = "tenantry_test_";

const sqlOn =
  (client: pg.Client): RunSql =>
  async (sql) =>
    (await client.query<Record<string, unknown>>(sql)).rows;

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new database on the server, named after this process so that leftovers can be traced to it. */
export async function createPostgresDatabase(serverUrl: string, template?: string): Promise<string> {
  if (!swept.has(serverUrl)) {
    swept.add(serverUrl);
    await dropOrphans(serverUrl);
  }
  // Each test database is its own, so parallel workers and repeated runs never collide.
  const name = `${namePrefix}${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdminClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`),
  );
  return name;
}

/** A migrated database of its own: an emptied one handed back earlier, or a new copy of the template. */
export async function takeMigratedPostgres(serverUrl: string): Promise<string> {
  const reused = ready.get(serverUrl)?.pop();
  if (reused && (await stillThere(serverUrl, reused))) return reused;
  const name = await createPostgresDatabase(serverUrl, await migratedPostgresTemplate(serverUrl));
  if (!fingerprints.has(serverUrl)) {
    fingerprints.set(
      serverUrl,
      withAdminClient(databaseUrl(serverUrl, name), (client) => templateFingerprint(sqlOn(client))),
    );
  }
  await fingerprints.get(serverUrl);
  return name;
}

/**
 * Takes back a migrated database its test is done with: emptied and kept for the next test when
 * nobody is connected to it any more (a server still running could write into the next test's
 * database) and its catalog is still the template's; dropped otherwise.
 */
export async function handBackPostgres(serverUrl: string, name: string): Promise<void> {
  if (await emptiedForReuse(serverUrl, name)) {
    ready.set(serverUrl, [...(ready.get(serverUrl) ?? []), name]);
    return;
  }
  await dropPostgresDatabase(serverUrl, name);
}

export async function dropPostgresDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function emptiedForReuse(serverUrl: string, name: string): Promise<boolean> {
  try {
    // A closed pool's connections leave pg_stat_activity a moment after the pool says it ended.
    const idle = await withAdminClient(serverUrl, async (admin) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const { rows } = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [
          name,
        ]);
        if (rows[0]?.n === 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return false;
    });
    if (!idle) return false;
    const fingerprint = await fingerprints.get(serverUrl);
    return await withAdminClient(databaseUrl(serverUrl, name), (client) => emptyForReuse(sqlOn(client), fingerprint));
  } catch {
    return false;
  }
}

/**
 * A test that started a server of its own (a fault test's private PostgreSQL) may have stopped
 * it; another one on the same port would not have the database.
 */
async function stillThere(serverUrl: string, name: string): Promise<boolean> {
  try {
    const { rowCount } = await withAdminClient(serverUrl, (client) =>
      client.query("select 1 from pg_database where datname = $1", [name]),
    );
    return rowCount === 1;
  } catch {
    return false;
  }
}

/**
 * Databases kept for reuse outlive the process that made them (it cannot drop them as it exits):
 * each process, before its first database on a server, drops those of processes no longer alive.
 */
async function dropOrphans(serverUrl: string): Promise<void> {
  const { rows } = await withAdminClient(serverUrl, (client) =>
    client.query<{ datname: string }>("select datname from pg_database where datname like $1", [`${namePrefix}%`]),
  );
  for (const { datname } of rows) {
    const pid = Number(/^tenantry_test_(\d+)_/.exec(datname)?.[1]);
    if (pid && !processAlive(pid)) await dropPostgresDatabase(serverUrl, datname).catch(() => {});
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
