import type { QueryObserver } from "./connection/timed-adapter.ts";
import type { PGlite } from "@electric-sql/pglite";
import type { PgliteStart } from "./connection/pglite.ts";
import path from "node:path";
import { z } from "zod";

/**
 * The database part of the environment. The server's config module composes it; the migration
 * CLI parses it on its own. Nothing else reads these variables.
 */
export const databaseEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL (leave it unset for the embedded database)")
    .optional(),
  /** Relative to the folder the caller names (the repository root, for the server and the CLI). */
  PGLITE_DATA_DIR: z.string().default(".data/pglite"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** PostgreSQL: the longest one statement of a request may run (0: no limit). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
});

export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

export interface DatabaseOptions {
  /** PostgreSQL URL; absent means the embedded PGlite database. */
  url?: string | undefined;
  /** PGlite data folder, or `memory://`. */
  dataDir: string;
  poolMax: number;
  /**
   * Embedded only: the contents a new PGlite data folder starts from (a `dumpDataDir()`
   * tarball, or a function asked only for a new folder), instead of the empty cluster.
   */
  pgliteSnapshot?: PgliteStart | undefined;
  /**
   * Embedded only: an open PGlite to use instead of opening `dataDir` (tests hand one emptied
   * database from server to server). Whoever opened it closes it; closing the database does not.
   */
  pglite?: PGlite | undefined;
  /** PostgreSQL: the longest one statement may run, in milliseconds (0: no limit). */
  statementTimeoutMs?: number | undefined;
  /** PostgreSQL: told of connections the server cut (a restart, a failover). */
  onConnectionError?: ((error: Error) => void) | undefined;
  /** Told of each application statement (metrics, tracing); unset: nothing is observed. */
  onQuery?: QueryObserver | undefined;
}

/** `baseDir` anchors a relative PGLITE_DATA_DIR. */
export function databaseOptionsFromEnv(env: DatabaseEnv, baseDir: string): DatabaseOptions {
  const dataDir = env.PGLITE_DATA_DIR.startsWith("memory://") ? env.PGLITE_DATA_DIR : path.resolve(baseDir, env.PGLITE_DATA_DIR);
  return {
    url: env.DATABASE_URL,
    dataDir,
    poolMax: env.DATABASE_POOL_MAX,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
  };
}
