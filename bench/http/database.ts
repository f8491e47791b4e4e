import { spawn } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "@tenantry/db";
import pg from "pg";

/** The environment that points a server (or the db CLI) at one bench database. */
export type DatabaseEnv = Record<string, string>;

export interface BenchDatabase {
  kind: "postgres" | "pglite";
  env: DatabaseEnv;
  /** Plain SQL with the owner's rights (past row-level security): seeding and EXPLAIN. */
  ownerSql<T>(work: (query: <Row>(sql: string, params?: unknown[]) => Promise<Row[]>) => Promise<T>): Promise<T>;
  /** A copy for a second process (PGlite serves one process); PostgreSQL is simply shared. */
  copy(label: string): Promise<BenchDatabase>;
  drop(): Promise<void>;
}

/**
 * A fresh database of its own per run and per checkout (an older checkout may have other
 * migrations): PostgreSQL `tenantry_bench_<pid>_<label>` next to the given URL's database, or a
 * PGlite folder in the temp directory. Migrated and seeded by the checkout's own scripts, as the
 * README tells an operator to, since production refuses pending migrations.
 */
export async function createBenchDatabase(
  kind: "postgres" | "pglite",
  label: string,
  checkoutDir: string,
  postgresUrl: string | undefined,
): Promise<BenchDatabase> {
  const db = kind === "postgres" ? await createPostgres(label, postgresUrl!) : await createPglite(label);
  try {
    await runScript(checkoutDir, "db:migrate", db.env);
    await runScript(checkoutDir, "db:seed", db.env);
  } catch (error) {
    await db.drop();
    throw error;
  }
  return db;
}

async function createPostgres(label: string, adminUrl: string): Promise<BenchDatabase> {
  const name = `tenantry_bench_${process.pid}_${label}`;
  const url = new URL(adminUrl);
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name}`);
  await admin(`create database ${name}`);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const self: BenchDatabase = {
    kind: "postgres",
    env: { DATABASE_URL: databaseUrl },
    async ownerSql(work) {
      // The URL's login (postgres here) owns the tables: the migrations ran as it.
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return await work(async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[]);
      } finally {
        await client.end();
      }
    },
    copy: async () => self,
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
  return self;
}

async function createPglite(label: string, dir?: string): Promise<BenchDatabase> {
  const dataDir = dir ?? (await mkdtemp(path.join(tmpdir(), `tenantry-bench-${label}-`)));
  return {
    kind: "pglite",
    // Production runs on the embedded database only when told so on purpose.
    env: { PGLITE_DATA_DIR: dataDir, ALLOW_EMBEDDED_DATABASE: "true" },
    async ownerSql(work) {
      // Only while no server has the folder open: PGlite is one process's database.
      const db = await openDatabase({ dataDir, poolMax: 1 });
      try {
        const session = await db.openSession("bench");
        return await work(session.query);
      } finally {
        await db.close();
      }
    },
    async copy(copyLabel) {
      const target = await mkdtemp(path.join(tmpdir(), `tenantry-bench-${copyLabel}-`));
      await cp(dataDir, target, { recursive: true });
      return createPglite(copyLabel, target);
    },
    drop: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** `pnpm <script>` in a checkout, with the database's environment; fails with its output. */
function runScript(checkoutDir: string, script: string, env: DatabaseEnv): Promise<void> {
  // Under `pnpm bench:http`, npm_execpath is pnpm itself; otherwise fetch the pinned one.
  const pnpm = process.env.npm_execpath?.includes("pnpm")
    ? { command: process.execPath, args: [process.env.npm_execpath, "--silent", script] }
    : { command: "npx", args: ["-y", "pnpm@10.34.8", "--silent", script] };
  return new Promise((resolve, reject) => {
    // Only the bench database: never the DATABASE_URL the bench itself was given.
    const { NODE_ENV: _ignored, DATABASE_URL: _theirs, ...inherited } = process.env;
    const child = spawn(pnpm.command, pnpm.args, { cwd: checkoutDir, env: { ...inherited, ...env }, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`pnpm ${script} in ${checkoutDir} failed (${code}):\n${output}`)),
    );
  });
}
