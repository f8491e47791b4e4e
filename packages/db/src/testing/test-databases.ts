import { randomBytes } from "node:crypto";
import type { DatabaseOptions } from "../config.ts";
import { emptyClusterSnapshot } from "../connection/kept-clusters.ts";
import { migratedPgliteSnapshot, migratedPostgresTemplate, withAdminClient } from "./migrated-templates.ts";

/**
 * Where database tests run: always on an in-memory PGlite, and on PostgreSQL when
 * `DATABASE_URL` names a server. `REQUIRE_POSTGRES=1` (set by CI) turns a missing URL into a
 * failure instead of a silent skip.
 */
export interface TestBackend {
  name: "pglite" | "postgres";
  /**
   * A fresh database of this backend, with every migration applied (a copy of a template
   * migrated once per run); `{ empty: true }` for one without any. `drop()` removes it.
   */
  create(options?: { empty?: boolean }): Promise<TestDatabase>;
}

export interface TestDatabase {
  options: DatabaseOptions;
  drop(): Promise<void>;
}

const pglite: TestBackend = {
  name: "pglite",
  create: async ({ empty = false } = {}) => ({
    // An empty one starts from the process's shared initdb snapshot: initdb is ~2 s of CPU each.
    options: {
      dataDir: "memory://",
      poolMax: 1,
      pgliteSnapshot: empty ? await emptyClusterSnapshot() : await migratedPgliteSnapshot(),
    },
    drop: async () => {},
  }),
};

function postgres(serverUrl: string): TestBackend {
  return {
    name: "postgres",
    create: async ({ empty = false } = {}) => {
      const template = empty ? undefined : await migratedPostgresTemplate(serverUrl);
      // Each test database is its own, so parallel workers and repeated runs never collide.
      const name = `tenantry_test_${process.pid}_${randomBytes(4).toString("hex")}`;
      await withAdminClient(serverUrl, (client) =>
        client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`),
      );
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return {
        options: { url: url.toString(), dataDir: "memory://", poolMax: 5 },
        drop: async () => {
          await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
        },
      };
    },
  };
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
