import path from "node:path";
import { z } from "zod";

/** The repository root; relative paths in database settings are resolved against it. */
export const repoRoot = path.resolve(import.meta.dirname, "../../..");

/**
 * The database part of the environment. The server's config module composes it; the migration
 * CLI parses it on its own. Nothing else reads these variables.
 */
export const databaseEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL (leave it unset for the embedded database)")
    .optional(),
  PGLITE_DATA_DIR: z
    .string()
    .default(".data/pglite")
    .transform((dir) => (dir.startsWith("memory://") ? dir : path.resolve(repoRoot, dir))),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  SEED_ADMIN_EMAIL: z.email().default("admin@tenantry.local"),
  /** Optional: gives the seeded admin a password (only if it has none yet). */
  SEED_ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
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
   * tarball), instead of an empty cluster. Skips `initdb`, the slow part of opening PGlite.
   */
  pgliteSnapshot?: Blob | undefined;
}

export function databaseOptionsFromEnv(env: DatabaseEnv): DatabaseOptions {
  return { url: env.DATABASE_URL, dataDir: env.PGLITE_DATA_DIR, poolMax: env.DATABASE_POOL_MAX };
}
