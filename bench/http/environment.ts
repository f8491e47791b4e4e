import { createBenchDatabase, type BenchDatabase } from "./database.ts";
import type { Target } from "./load.ts";
import type { BenchOptions } from "./options.ts";
import { notificationsForMember, seedThroughApi, topUpNotifications, type SeededTenant } from "./seed.ts";
import { startHandWrittenServer, startProductServer, type RunningServer, type ServerSettings } from "./servers.ts";
import { handWrittenTargets, productTargets } from "./targets.ts";

/** One checkout's server on its own seeded database. */
export interface ProductUnderTest {
  suffix: string;
  dir: string;
  db: BenchDatabase;
  tenant: SeededTenant;
  server: RunningServer;
}

/** Everything running for one backend: the products, the hand-written reference, the targets. */
export interface BenchEnvironment {
  backend: "postgres" | "pglite";
  products: ProductUnderTest[];
  handWritten: RunningServer;
  /** Grouped by read: each read's hand-written target first. */
  targets: Target[];
  close(): Promise<void>;
}

/**
 * For each checkout: a database migrated and seeded by its own scripts, its server started in
 * production mode, the tenant seeded through its API, then the member's notifications by SQL
 * (with the server stopped, since PGlite is one process's database). The hand-written server gets
 * the first checkout's data: the same PostgreSQL database, or a copy of the PGlite folder.
 */
export async function prepareEnvironment(
  backend: "postgres" | "pglite",
  options: BenchOptions,
  settings: ServerSettings,
  log: (line: string) => void,
): Promise<BenchEnvironment> {
  const cleanups: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
    })());
  try {
    const checkouts = [{ suffix: "", dir: options.serverDir }];
    if (options.otherServerDir) checkouts.push({ suffix: "@other", dir: options.otherServerDir });
    const products: ProductUnderTest[] = [];
    for (const [i, { suffix, dir }] of checkouts.entries()) {
      log(`${backend}: migrating and seeding a database for ${dir}`);
      const db = await createBenchDatabase(backend, `${backend.slice(0, 2)}${i}`, dir, options.postgresUrl);
      cleanups.push(() => db.drop());
      const seeding = await startProductServer(`product${suffix}`, dir, db.env, settings);
      let tenant: SeededTenant;
      try {
        tenant = await seedThroughApi(seeding.url, "bench");
      } finally {
        await seeding.stop();
      }
      await topUpNotifications(db, tenant, notificationsForMember);
      // Same port again: the tenant refreshes its token through it.
      products.push({ suffix, dir, db, tenant, server: seeding });
    }
    const primary = products[0]!;
    const handDb = await primary.db.copy(`${backend.slice(0, 2)}hand`);
    if (handDb !== primary.db) cleanups.push(() => handDb.drop());
    for (const product of products) {
      product.server = await startProductServer(
        `product${product.suffix}`,
        product.dir,
        product.db.env,
        settings,
        product.server.port,
      );
      const server = product.server;
      cleanups.push(() => server.stop());
    }
    const handWritten = await startHandWrittenServer("hand-written", handDb.env, settings);
    cleanups.push(() => handWritten.stop());
    const all = [
      ...handWrittenTargets(handWritten, primary.tenant),
      ...products.flatMap((p) => productTargets(p.server, p.tenant, p.suffix)),
    ];
    const reads = [...new Set(all.map((t) => t.read))];
    return { backend, products, handWritten, targets: reads.flatMap((r) => all.filter((t) => t.read === r)), close };
  } catch (error) {
    await close();
    throw error;
  }
}
