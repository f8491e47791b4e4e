import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { withWholeScripts } from "../migrations/whole-script-adapter.ts";
import { APP_ROLE, type DatabaseConnection } from "./types.ts";

/**
 * Embedded PostgreSQL (compiled to WASM) in one process. `dataDir` is a folder on disk, or
 * `memory://` for a throw-away database. PGlite serves one connection, so the server, its
 * migrations and its seed share this one instance.
 */
export async function connectPglite(dataDir: string): Promise<DatabaseConnection> {
  if (!dataDir.startsWith("memory://")) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir });
  const adapter = new PrismaPGlite(pglite);
  let appRole = false;
  return {
    kind: "pglite",
    adapter,
    migrationAdapter: () =>
      // Run on the adapter's own client: the engine's shadow database is another PGlite.
      withWholeScripts(adapter, async (connection, script) => {
        await (connection as unknown as { client: PGlite }).client.exec(script);
      }),
    enterAppRole: async () => {
      await pglite.exec(`SET ROLE ${APP_ROLE}`);
      appRole = true;
    },
    withOwnerRole: async (work) => {
      if (!appRole) return work(undefined);
      await pglite.exec("RESET ROLE");
      try {
        return await work(undefined);
      } finally {
        await pglite.exec(`SET ROLE ${APP_ROLE}`);
      }
    },
    ping: async () => {
      await pglite.query("select 1");
    },
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}
