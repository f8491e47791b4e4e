import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import type { DatabaseEnv } from "./database.ts";

export interface RunningServer {
  name: string;
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Secrets and limits every server of one run shares, so a token works on each of them. */
export interface ServerSettings {
  jwtSecret: string;
  poolMax: number;
  /** BENCH_CPU_PROF: each server writes a V8 CPU profile here when it stops (node --cpu-prof). */
  cpuProfileDir?: string;
}

const benchDir = import.meta.dirname;

/** A port nobody listens on right now (the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The product's server as an operator runs it in production (the Dockerfile's command:
 * `node --import tsx src/main.ts` in apps/server), from `checkoutDir`. Production wants real
 * SMS and mail providers; they are configured but never reached by the reads measured here.
 * Without REDIS_URL (one instance): the two reads touch neither rate limits nor the bus.
 */
export async function startProductServer(
  name: string,
  checkoutDir: string,
  db: DatabaseEnv,
  settings: ServerSettings,
  port?: number,
) {
  port ??= await freePort();
  const args = [...profilerArgs(name, settings), "--import", "tsx", "src/main.ts"];
  return startNodeServer(name, port, path.join(checkoutDir, "apps/server"), args, {
    ...db,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    PORT: String(port),
    JWT_SECRET: settings.jwtSecret,
    DATABASE_POOL_MAX: String(settings.poolMax),
    SMS_PROVIDER: "twilio",
    TWILIO_ACCOUNT_SID: "ACbench",
    TWILIO_AUTH_TOKEN: "bench",
    TWILIO_FROM: "+15550000000",
    TWILIO_BASE_URL: "http://127.0.0.1:9",
    MAIL_PROVIDER: "smtp",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: "9",
    // The bench stops its servers between phases; nobody needs the drain here.
    SHUTDOWN_DRAIN_MS: "0",
  });
}

/** The hand-written reference (hand-written-server.ts) on the same database and pool size. */
export async function startHandWrittenServer(name: string, db: DatabaseEnv, settings: ServerSettings) {
  const port = await freePort();
  const args = [...profilerArgs(name, settings), "--import", "tsx", "hand-written-server.ts"];
  return startNodeServer(name, port, benchDir, args, {
    ...db,
    NODE_ENV: "production",
    PORT: String(port),
    JWT_SECRET: settings.jwtSecret,
    DATABASE_POOL_MAX: String(settings.poolMax),
  });
}

function profilerArgs(name: string, settings: ServerSettings): string[] {
  if (!settings.cpuProfileDir) return [];
  // A folder per server: tsx's loader thread writes a profile of its own, named by thread id.
  const dir = path.join(settings.cpuProfileDir, `${name.replace(/[^A-Za-z0-9@-]+/g, "-")}-${Date.now()}`);
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`];
}

async function startNodeServer(
  name: string,
  port: number,
  cwd: string,
  args: string[],
  env: Record<string, string>,
): Promise<RunningServer> {
  const { NODE_ENV: _ignored, DATABASE_URL: _theirs, ...inherited } = process.env;
  const child = spawn(process.execPath, args, { cwd, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  // Kept for the error message if it dies; LOG_LEVEL=warn keeps this small.
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const state = await Promise.race([exited.then(() => "exited" as const), healthy(url)]);
    if (state === "exited") throw new Error(`${name} exited during start-up:\n${output}`);
    if (state) break;
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`${name} did not answer /health within 120 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { name, url, port, pid: child.pid!, stop: () => stopChild(child, exited) };
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

/** SIGTERM, and SIGKILL (this child only) if it has not gone after 15 s. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}
