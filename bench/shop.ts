/**
 * What a module procedure costs, and how fast the shop takes orders, through the module
 * builders on a real database (the harness: everything but HTTP).
 *   pnpm bench:shop                       (embedded PGlite)
 *   DATABASE_URL=postgresql://… pnpm bench:shop
 * Figures only.
 */
import { withTenantScope } from "@tenantry/db";
import { readModuleState } from "@tenantry/module-sdk";
import shop from "@tenantry/module-shop";
import { createModuleTestHarness, testBackends } from "@tenantry/module-testing";
import { measure } from "./support/measure.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 300);
const backend = testBackends().find((b) => b.name === (process.env.DATABASE_URL ? "postgres" : "pglite"))!;
const h = await createModuleTestHarness(shop, { backend });

try {
  console.log(`database: ${h.db.kind}, ${rounds} rounds`);
  const visitor = h.visitor();
  // Customers' writes are rate limited per customer (60 a minute): spread the orders over many.
  const customers = await Promise.all(Array.from({ length: Math.ceil((rounds + 20) / 50) }, () => h.customer()));
  let turn = 0;
  const nextCustomer = () => customers[turn++ % customers.length]!.caller;
  for (let i = 0; i < 50; i++)
    await h.owner.catalog.products.create({ name: `Product ${i}`, priceMinor: 100 + i, stock: 1_000_000 });
  const product = (await visitor.products.list({ limit: 1 })).items[0]!;

  await measure("module gate alone (registry + tenant row + plan, 1 query)", rounds, () =>
    withTenantScope(h.db.prisma, { tenantId: h.tenant.id }, (tx) => readModuleState(tx, h.tenant.id, "shop")),
  );
  await measure("storefront.get (resolve, scope, gate, settings)", rounds, () => visitor.storefront.get());
  await measure("products.list, 20 of 50", rounds, () => visitor.products.list({ limit: 20 }));
  await measure("orders.place, one line (signed-in customer)", rounds, () =>
    nextCustomer().orders.place({ items: [{ productId: product.id, quantity: 1 }] }),
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
