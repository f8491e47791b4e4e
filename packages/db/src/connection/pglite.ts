import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { gatedAdapterFactory } from "./gated-adapter.ts";
import { pgliteStartOptions } from "./pglite-options.ts";
import { emptyClusterSnapshot } from "./kept-clusters.ts";
import { connectShadowPglite } from "./pglite-shadow.ts";
import { RoleGate } from "./role-gate.ts";
import { withWholeScripts } from "../migrations/whole-script-adapter.ts";
import { APP_ROLE, type DatabaseConnection } from "./types.ts";

/**
 * What a new data folder starts from: a tarball, or a function asked only when the folder is new
 * (reading a kept tarball costs a restart nothing); undefined from either: the empty cluster.
 */
export type PgliteStart = Blob | (() => Promise<Blob | undefined>);

/**
 * A PGlite on `dataDir`, a folder on disk or `memory://`. A `snapshot` (a `dumpDataDir()`
 * tarball) fills a new data folder (by default the cached empty cluster); a folder that already
 * holds a cluster keeps it.
 */
export async function openPglite(dataDir: string, snapshot?: PgliteStart): Promise<PGlite> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const isNew = inMemory || !existsSync(path.join(dataDir, "PG_VERSION"));
  // A new cluster is a copy of the cached empty one: running initdb into a folder costs ~5 s.
  const start = isNew
    ? ((typeof snapshot === "function" ? await snapshot() : snapshot) ?? (await emptyClusterSnapshot()))
    : undefined;
  return PGlite.create({ dataDir, ...pgliteStartOptions(dataDir), ...(start ? { loadDataDir: start } : {}) });
}

/**
 * Embedded PostgreSQL (compiled to WASM) in one process, opened with `openPglite`. PGlite serves
 * one connection, so the server, its migrations and its seed share this one instance. Given an
 * instance already `open` (tests hand one from server to server), that one is used, and
 * closing the connection leaves it open for whoever opened it.
 */
export async function connectPglite(dataDir: string, snapshot?: PgliteStart, open?: PGlite): Promise<DatabaseConnection> {
  const pglite = open ?? (await openPglite(dataDir, snapshot));
  // The owner's queries go straight to PGlite; the application's wait at the gate while they run.
  const adapter = new PrismaPGlite(pglite);
  const gate = new RoleGate();
  let appRole = false;
  return {
    kind: "pglite",
    adapter: gatedAdapterFactory(adapter, gate),
    migrationAdapter: () =>
      // Run on the adapter's own client: the engine's shadow database is another PGlite.
      withWholeScripts(
        {
          adapterName: adapter.adapterName,
          provider: adapter.provider,
          connect: () => adapter.connect(),
          connectToShadowDb: connectShadowPglite,
        },
        async (connection, script) => {
          await (connection as unknown as { client: PGlite }).client.exec(script);
        },
      ),
    enterAppRole: async () => {
      await pglite.exec(`SET ROLE ${APP_ROLE}`);
      appRole = true;
    },
    withOwnerRole: (work) =>
      // The one connection changes role for `work` alone: application queries wait meanwhile.
      gate.withExclusive(async () => {
        if (!appRole) return work(adapter);
        await pglite.exec("RESET ROLE");
        try {
          return await work(adapter);
        } finally {
          await pglite.exec(`SET ROLE ${APP_ROLE}`);
        }
      }),
    openSession: async () => ({
      query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
      close: async () => {},
    }),
    dumpDataDir: () => pglite.dumpDataDir("none"),
    ping: async () => {
      await pglite.query("select 1");
    },
    close: async () => {
      if (!open && !pglite.closed) await pglite.close();
    },
  };
}
