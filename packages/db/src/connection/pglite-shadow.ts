import { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { emptyClusterSnapshot } from "./kept-clusters.ts";
import { pgliteStartOptions } from "./pglite-options.ts";

/**
 * The schema engine's shadow database (where `diff` replays migrations). The stock adapter
 * opens one with a full `initdb` and never closes it; this one starts from the shared empty
 * cluster and is closed when the engine disposes of it.
 */
export async function connectShadowPglite(): Promise<SqlDriverAdapter> {
  const pglite = await PGlite.create({
    dataDir: "memory://",
    ...pgliteStartOptions("memory://"),
    loadDataDir: await emptyClusterSnapshot(),
  });
  const adapter = await new PrismaPGlite(pglite).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    if (!pglite.closed) await pglite.close();
  };
  return adapter;
}
