/**
 * What a module procedure costs, and how fast the shop takes orders, through the module
 * builders on a real database (the harness: everything but HTTP).
 *   pnpm bench:shop                       (embedded PGlite)
 *   DATABASE_URL=postgresql://… pnpm bench:shop
 * Figures only.
 */
import { withTenantScope } from "../packages/db/src/tenant-scope.ts";
import { readModuleState } from "../packages/module-sdk/src/module-state.ts";
import { createModuleTestHarness, testBackends } from "../packages/module-sdk/src/testing/index.ts";
import shop from "../modules/shop/src/index.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 300);
const backend = testBackends().find((b) => b.name === (process.env.DATABASE_URL ? "postgres" : "pglite"))!;
const h = await createModuleTestHarness(shop, { backend });

async function measure(label: string, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  const p90 = samples[Math.floor(samples.length * 0.9)]!;
  console.log(`${label.padEnd(56)} median ${(median * 1000).toFixed(0).padStart(6)} µs   p90 ${(p90 * 1000).toFixed(0).padStart(6)} µs`);
  return median;
}

try {
  console.log(`database: ${h.db.kind}, ${rounds} rounds`);
  const visitor = h.visitor();
  const { caller: customer } = await h.customer();
  for (let i = 0; i < 50; i++) await h.owner.catalog.products.create({ name: `Product ${i}`, priceMinor: 100 + i, stock: 1_000_000 });
  const product = (await visitor.products.list({ limit: 1 })).items[0]!;

  await measure("module gate alone (registry + tenant row + plan, 1 query)", () =>
    withTenantScope(h.db.prisma, { tenantId: h.tenant.id }, (tx) => readModuleState(tx, h.tenant.id, "shop")),
  );
  await measure("storefront.get (resolve, scope, gate, settings)", () => visitor.storefront.get());
  await measure("products.list, 20 of 50", () => visitor.products.list({ limit: 20 }));
  await measure("orders.place, one line (signed-in customer)", () =>
    customer.orders.place({ items: [{ productId: product.id, quantity: 1 }] }),
  );

  // Many buyers of one product at once: each order waits for the row lock of the one before.
  const buyers = await Promise.all(Array.from({ length: 8 }, () => h.customer()));
  const perBuyer = 40;
  const started = performance.now();
  await Promise.all(
    buyers.map(async ({ caller }) => {
      for (let i = 0; i < perBuyer; i++) await caller.orders.place({ items: [{ productId: product.id, quantity: 1 }] });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`8 buyers × ${perBuyer} orders of the same product: ${((buyers.length * perBuyer) / seconds).toFixed(0)} orders/s`);
} finally {
  await h.close();
}
