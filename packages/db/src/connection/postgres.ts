import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { withWholeScripts } from "../migrations/whole-script-adapter.ts";
import { oneQueryAtATime } from "./one-query-at-a-time.ts";
import { foldScopeIntoBegin } from "./scope-on-begin.ts";
import { APP_ROLE, type DatabaseConnection } from "./types.ts";

export interface PostgresOptions {
  url: string;
  /** Upper bound of pooled connections for this process. */
  poolMax: number;
  /** Longest a single statement of the application may run, in milliseconds (0: no limit). */
  statementTimeoutMs?: number | undefined;
  /** Told of connections the server cut (a restart, a failover); the caller decides how to log. */
  onConnectionError?: ((error: Error) => void) | undefined;
}

/**
 * A pool whose connections may be cut from the server side (a restart, `DROP DATABASE … WITH
 * (FORCE)`, an idle timeout) without crashing the process: `pg` raises such errors as events,
 * and an event nobody listens to is thrown. They go to `onError`; queries in flight still fail
 * with the error.
 */
function tolerantPool(config: pg.PoolConfig, onError: (error: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}

/** PostgreSQL through a `pg` pool shared by Prisma and the readiness check. */
export async function connectPostgres({
  url,
  poolMax,
  statementTimeoutMs = 0,
  onConnectionError,
}: PostgresOptions): Promise<DatabaseConnection> {
  // Every application connection starts as the app role, set at connection start-up so a
  // missing role fails the connection instead of silently running with the login's rights.
  // The statement timeout bounds what one request can make the database do.
  const pool = tolerantPool(
    { connectionString: url, max: poolMax, options: `-c role=${APP_ROLE} -c statement_timeout=${statementTimeoutMs}` },
    onConnectionError,
  );
  pool.on("connect", (client) => {
    oneQueryAtATime(client);
    foldScopeIntoBegin(client);
  });
  let ownerPool: pg.Pool | undefined;
  return {
    kind: "postgres",
    adapter: new PrismaPg(pool),
    migrationAdapter: () => postgresMigrationAdapter(url),
    enterAppRole: async () => {},
    withOwnerRole: async (work) => {
      ownerPool ??= tolerantPool({ connectionString: url, max: 2 }, onConnectionError);
      return work(new PrismaPg(ownerPool));
    },
    openSession: async (name) => {
      // Keep-alive: a session may sit waiting on a lock for as long as a migration takes.
      const client = new pg.Client({ connectionString: url, application_name: name, keepAlive: true });
      client.on("error", () => {});
      await client.connect();
      return {
        query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
        close: () => client.end(),
      };
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolMax }),
    ping: async () => {
      await pool.query("select 1");
    },
    close: async () => {
      if (!pool.ended) await pool.end();
      if (ownerPool && !ownerPool.ended) await ownerPool.end();
    },
  };
}

/**
 * The engine connects (and disposes) through its own short-lived pool. The URL is parsed into
 * fields on purpose: adapter-pg opens a shadow database by overriding `database` in its config,
 * and in `pg` a `connectionString` would silently win over that override.
 */
function postgresMigrationAdapter(url: string) {
  return withWholeScripts(
    new PrismaPg(tolerantPool({ ...parseIntoClientConfig(url), max: 2 }), { disposeExternalPool: true }),
    async (adapter, script) => {
      const driver = (adapter as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
      await driver.query(script);
    },
  );
}
