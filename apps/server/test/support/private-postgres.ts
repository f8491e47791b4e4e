import { execFile } from "node:child_process";
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, its own port and socket
 * directory), so fault tests can stop and restart a database without touching the shared one.
 * The server binaries refuse to run as root, so they run as `postgres` when the test is root.
 */
export interface PrivatePostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Stops the server (fast shutdown: connections are cut, as in a crash or a restart). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

async function binDir(): Promise<string> {
  const versions = (await readdir("/usr/lib/postgresql")).sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error("No PostgreSQL server binaries under /usr/lib/postgresql.");
  return path.join("/usr/lib/postgresql", versions[0], "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const asPostgres = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binDir();
  const dir = await mkdtemp(path.join(tmpdir(), "tenantry-pg-"));
  // The postgres user must own (and reach) the folder it initialises.
  await chmod(dir, 0o777);
  const data = path.join(dir, "data");
  const port = await freePort();
  const [initdb, initArgs] = asPostgres(path.join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--no-sync",
    "-E",
    "UTF8",
  ]);
  await run(initdb, initArgs);

  const pgCtl = (...args: string[]) => {
    const [command, commandArgs] = asPostgres(path.join(bin, "pg_ctl"), ["-D", data, ...args]);
    return run(command, commandArgs);
  };
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => {
    await pgCtl("-w", "-t", "60", "-o", options, "-l", path.join(dir, "log"), "start");
  };
  const stop = async () => {
    await pgCtl("-w", "-t", "60", "-m", "fast", "stop");
  };
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
