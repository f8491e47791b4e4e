import type { DatabaseOptions } from "../config.ts";
import { emptyClusterSnapshot } from "../connection/kept-clusters.ts";
import { migratedPgliteSnapshot } from "./migrated-templates.ts";
import { handBackPglite, takeMigratedPglite } from "./pglite-test-databases.ts";
import {
  createPostgresDatabase,
  databaseUrl,
  dropPostgresDatabase,
  handBackPostgres,
  takeMigratedPostgres,
} from "./postgres-test-databases.ts";

/**
 * Where database tests run: always on an in-memory PGlite, and on PostgreSQL when
 * `DATABASE_URL` names a server. `REQUIRE_POSTGRES=1` (set by CI) turns a missing URL into a
 * failure instead of a silent skip.
 */
export interface TestBackend {
  name: "pglite" | "postgres";
  /**
   * A database of this backend of its own, with every migration applied and no rows (a copy of
   * a template migrated once per run, or one handed back and emptied: see database-reuse.ts);
   * `{ empty: true }` for one without any migration. `drop()` hands it back: call it once
   * whatever used it has closed (a PGlite handed back is emptied in place, whoever still holds it).
   */
  create(options?: { empty?: boolean }): Promise<TestDatabase>;
}

export interface TestDatabase {
  options: DatabaseOptions;
  drop(): Promise<void>;
}

const pglite: TestBackend = {
  name: "pglite",
  create: async ({ empty = false } = {}) => {
    if (empty) {
      // From the process's shared initdb snapshot: initdb is ~2 s of CPU each.
      return {
        options: { dataDir: "memory://", poolMax: 1, pgliteSnapshot: await emptyClusterSnapshot() },
        drop: async () => {},
      };
    }
    const instance = await takeMigratedPglite();
    return {
      options: { dataDir: "memory://", poolMax: 1, pgliteSnapshot: await migratedPgliteSnapshot(), pglite: instance },
      drop: once(() => handBackPglite(instance)),
    };
  },
};

function postgres(serverUrl: string): TestBackend {
  return {
    name: "postgres",
    create: async ({ empty = false } = {}) => {
      const name = empty ? await createPostgresDatabase(serverUrl) : await takeMigratedPostgres(serverUrl);
      return {
        options: { url: databaseUrl(serverUrl, name), dataDir: "memory://", poolMax: 5 },
        drop: once(() => (empty ? dropPostgresDatabase(serverUrl, name) : handBackPostgres(serverUrl, name))),
      };
    },
  };
}

/** A database handed back twice would be handed out to two tests at once. */
function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= work());
}

/**
 * The backends database tests run on. `TEST_BACKENDS=postgres` (or `pglite`) narrows a run to
 * one half, e.g. to check a change against PostgreSQL alone.
 */
export function testBackends(env: NodeJS.ProcessEnv = process.env): TestBackend[] {
  const url = env.DATABASE_URL;
  const only = env.TEST_BACKENDS;
  if (!url && (env.REQUIRE_POSTGRES === "1" || only === "postgres")) {
    throw new Error(
      `${only === "postgres" ? "TEST_BACKENDS=postgres" : "REQUIRE_POSTGRES=1"} but DATABASE_URL is not set: the PostgreSQL tests must run here. ` +
        "Set DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test (any database; tests create their own).",
    );
  }
  if (only !== undefined && only !== "pglite" && only !== "postgres") {
    throw new Error(`TEST_BACKENDS must be pglite or postgres, not "${only}".`);
  }
  const all = url ? [pglite, postgres(url)] : [pglite];
  return only ? all.filter((backend) => backend.name === only) : all;
}
