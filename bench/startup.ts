/**
 * Start-up figures (`pnpm bench:startup`, after `pnpm install`, which builds the server):
 *
 * 1. The built server on a migrated PostgreSQL (production configuration), from spawning the
 *    process to the first 200 from `/ready`.
 * 2. A new embedded database, as after a fresh clone and its install: `pnpm start:demo`'s
 *    command, from spawning it to the first 200 from `/health`, each round on a new data folder.
 *
 * Each is set against the same start through tsx (how the server ran before it had a build), in
 * the same run: the machine is shared and its absolute times drift. Every process is killed
 * after 60 s at the latest, so a start that hangs fails the bench instead of stalling it.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "apps/server/dist/main.js");
const rounds = Number(process.env.STARTUP_ROUNDS ?? 5);
const startLimitMs = 60_000;

interface Start {
  label: string;
  /** Run through `sh -c` from the repository root. */
  command: string;
  env: NodeJS.ProcessEnv;
  probe: "/ready" | "/health";
  /** A fresh data folder per round (embedded database). */
  freshDataDir?: boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Milliseconds from spawn to the first 200 from `probe`; the process group is killed after. */
async function timeStart(start: Start): Promise<number> {
  const port = await freePort();
  const dataDir = start.freshDataDir ? mkdtempSync(path.join(tmpdir(), "tenantry-startup-")) : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, ...start.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" };
  if (dataDir) env.PGLITE_DATA_DIR = path.join(dataDir, "pglite");
  // Unset in `start.env` means unset for the child (the embedded starts drop DATABASE_URL).
  for (const [name, value] of Object.entries(start.env)) if (value === undefined) delete env[name];
  const began = performance.now();
  const child = spawn("sh", ["-c", start.command], { cwd: root, env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  try {
    while (performance.now() - began < startLimitMs) {
      if (exited !== undefined) throw new Error(`${start.label}: exited with ${exited} before answering:\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}${start.probe}`, { signal: AbortSignal.timeout(1000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return performance.now() - began;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${start.label}: no 200 from ${start.probe} within ${startLimitMs / 1000} s:\n${stderr}`);
  } finally {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
    await new Promise((resolve) => (exited !== undefined ? resolve(undefined) : child.once("exit", resolve)));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Rounds of the subject and its reference, interleaved so that drift hits both alike. */
async function compare(subject: Start, reference: Start): Promise<void> {
  const times = { subject: [] as number[], reference: [] as number[] };
  await timeStart(subject); // warm-up: file cache, kept clusters read once
  for (let i = 0; i < rounds; i++) {
    times.subject.push(await timeStart(subject));
    times.reference.push(await timeStart(reference));
  }
  const line = (start: Start, samples: number[]) =>
    `  ${start.label.padEnd(52)} median ${(median(samples) / 1000).toFixed(2)} s   (${samples.map((t) => (t / 1000).toFixed(2)).join(", ")})`;
  console.log(line(subject, times.subject));
  console.log(line(reference, times.reference));
  console.log(`  ratio: ${(median(times.subject) / median(times.reference)).toFixed(2)}× the reference's time`);
}

/** A migrated database of its own on the PostgreSQL at DATABASE_URL; dropped at the end. */
async function migratedPostgres(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tenantry_startup_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const migrate = spawnSync(process.execPath, [path.join(root, "apps/server/dist/db.js"), "migrate"], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    encoding: "utf8",
    timeout: startLimitMs,
  });
  if (migrate.status !== 0) throw new Error(`migrating ${name} failed:\n${migrate.stdout}${migrate.stderr}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** What production requires, with providers that are never called during a start. */
const productionEnv: NodeJS.ProcessEnv = {
  NODE_ENV: "production",
  JWT_SECRET: "startup-bench-secret-startup-bench-secret-0123456789",
  SMS_PROVIDER: "twilio",
  TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000",
  TWILIO_AUTH_TOKEN: "unused",
  TWILIO_FROM: "+15550000000",
  MAIL_PROVIDER: "smtp",
  SMTP_HOST: "127.0.0.1",
  MAIL_FROM: "bench@example.com",
};

if (!existsSync(built)) {
  console.error("apps/server/dist/main.js is missing: run `pnpm install` (or `pnpm build`) first.");
  process.exit(1);
}
const rootScripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> })
  .scripts;
const startDemo = rootScripts["start:demo"]!;
const tsxServer = "node --import tsx apps/server/src/main.ts";

const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  console.log(`Built server, migrated PostgreSQL, spawn → 200 from /ready (${rounds} rounds):`);
  const database = await migratedPostgres(serverUrl);
  try {
    const env = { ...productionEnv, DATABASE_URL: database.url };
    await compare(
      { label: "node apps/server/dist/main.js", command: "node apps/server/dist/main.js", env, probe: "/ready" },
      { label: "through tsx (no build)", command: tsxServer, env, probe: "/ready" },
    );
  } finally {
    await database.drop();
  }
} else {
  console.log("DATABASE_URL is not set: skipping the PostgreSQL figure.");
}

console.log(`\nNew embedded database (as after a fresh clone's install), spawn → 200 from /health (${rounds} rounds):`);
const embeddedEnv: NodeJS.ProcessEnv = { NODE_ENV: "development", DATABASE_URL: undefined };
await compare(
  { label: "pnpm start:demo's command", command: startDemo, env: embeddedEnv, probe: "/health", freshDataDir: true },
  { label: "through tsx (no build)", command: tsxServer, env: embeddedEnv, probe: "/health", freshDataDir: true },
);
