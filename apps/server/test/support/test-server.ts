import { testBackends, type TestBackend, type TestDatabase } from "@tenantry/db/testing";
import { createLogger, loadConfig, startServer } from "./server-under-test.ts";
import type { Config } from "../../src/config.ts";
import type { RunningServer, ServerOverrides } from "../../src/server.ts";
import { smtpEnv } from "./fake-smtp.ts";
import { testMailbox } from "./mailbox.ts";
import { observeRestConformance } from "./rest-conformance.ts";
import { serveInProcess } from "./in-process-fetch.ts";

export { testBackends, type TestBackend };

/** Where every test server of this worker sends mail (see mailbox.ts). */
const mailbox = await testMailbox();

export interface TestServer extends RunningServer {
  config: Config;
  /** Whether `fetch` to `url` is served in-process (see `TestServerOptions.sockets`). */
  inProcess: boolean;
  database: TestDatabase;
  /** Closes the server and drops its database. */
  stop(): Promise<void>;
}

/** Environment for a server under test: port 0, quiet logs, the given database. */
export function testEnv(database: TestDatabase, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "test",
    PORT: "0",
    LOG_LEVEL: "silent",
    PGLITE_DATA_DIR: database.options.dataDir,
    ...(database.options.url ? { DATABASE_URL: database.options.url } : {}),
    CORS_ORIGINS: "https://app.example.test",
    JWT_SECRET: "test-secret-that-is-at-least-32-bytes-long",
    ...smtpEnv(mailbox),
    // No load balancer watches a test server's /ready: stopping it need not wait for one.
    SHUTDOWN_DRAIN_MS: "0",
    // Thousands of accounts are made here; argon2's production work factor protects nothing.
    // (Refused outside NODE_ENV=test, so servers started as development or production keep it.)
    ...((overrides.NODE_ENV ?? "test") === "test" ? { PASSWORD_HASHING: "fast-for-tests" } : {}),
    ...overrides,
  };
}

/**
 * The configuration `testEnv` describes, on the embedded database `database` carries, open or as
 * a migrated snapshot (neither can travel in an environment variable).
 */
export function testConfig(database: TestDatabase, overrides: NodeJS.ProcessEnv = {}): Config {
  const { config } = loadConfig(testEnv(database, overrides));
  const { pgliteSnapshot, pglite } = database.options;
  return { ...config, database: { ...config.database, pgliteSnapshot, pglite } };
}

export interface TestServerOptions {
  /**
   * Real connections for every request to `url`: for tests of what only HTTP shows (framing,
   * connections, shutdown). Otherwise `fetch` to `url` is served in-process (in-process-fetch.ts);
   * raw sockets (`node:http`, `node:net`) reach the port either way. `TEST_TRANSPORT=sockets`
   * makes it true for every server (CI's pass against the build).
   */
  sockets?: boolean;
}

/**
 * The real server (migrated and seeded as in development) on a fresh database of `backend`,
 * listening on a random port.
 */
export async function startTestServer(
  backend: TestBackend,
  overrides: NodeJS.ProcessEnv = {},
  parts: ServerOverrides = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = await backend.create();
  let running: RunningServer;
  let config: Config;
  try {
    config = testConfig(database, overrides);
    running = await startServer(config, createLogger(config), parts);
    observeRestConformance(running.server);
    // Tests start on a settled server: a purge still running could delete rows a test just made.
    await running.startupPurge;
  } catch (error) {
    await database.drop();
    throw error;
  }
  const sockets = options.sockets || process.env.TEST_TRANSPORT === "sockets";
  const stopServingInProcess = sockets ? () => {} : serveInProcess(running.url, running.server);
  return {
    ...running,
    config,
    database,
    inProcess: !sockets,
    stop: async () => {
      stopServingInProcess();
      await running.close();
      await database.drop();
    },
  };
}
