import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger, startServer } from "./support/server-under-test.ts";
import { bearer } from "./support/sign-up.ts";
import { expectStatus, signInAsAdmin, strongPassword } from "./support/accounts.ts";
import { testBackends, testConfig } from "./support/test-server.ts";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface StorefrontProduct {
  id: string;
  name: string;
  priceMinor: number;
  currency: string;
  inStock: boolean;
  categoryId: string | null;
}

/**
 * What a newcomer gets from `pnpm start:demo` (a development start): the demo tenant on the pro
 * plan with the shop switched on and stocked, so the README's storefront calls answer at once.
 */
describe.each(testBackends())("the development demo on $name", (backend) => {
  // Two full start-ups, migrations included (PGlite on disk: about 15 s).
  it(
    "opens the demo tenant's shop with categories and products, told to its owner; a restart adds nothing",
    { timeout: 240_000 },
    async () => {
      const database = await backend.create();
      // PGlite on disk, so the restart finds what the first start wrote (PostgreSQL ignores it).
      const pgliteDir = await mkdtemp(join(tmpdir(), "tenantry-demo-"));
      try {
        const config = testConfig(database, {
          NODE_ENV: "development",
          SEED_ADMIN_PASSWORD: strongPassword,
          PGLITE_DATA_DIR: pgliteDir,
        });
        const visit = (url: string, path: string) => fetch(`${url}/api/v1${path}`, { headers: { "x-tenant": "demo" } });

        const first = await startServer(config, createLogger(config));
        let products: StorefrontProduct[];
        try {
          products = (await expectStatus<Page<StorefrontProduct>>(await visit(first.url, "/modules/shop/products?limit=50"), 200))
            .items;
          expect(products.map((p) => [p.name, p.priceMinor, p.currency, p.inStock]).sort()).toEqual([
            ["Blue mug", 1250, "EUR", true],
            ["City map poster", 1900, "EUR", false],
            ["Harbour at dawn", 2900, "EUR", true],
            ["Tall latte mug", 1490, "EUR", true],
          ]);
          const categories = (
            await expectStatus<Page<{ id: string; name: string; slug: string }>>(
              await visit(first.url, "/modules/shop/categories"),
              200,
            )
          ).items;
          expect(categories.map((c) => c.slug)).toEqual(["mugs", "prints"]);
          const mugs = categories[0]!.id;
          expect(
            products
              .filter((p) => p.categoryId === mugs)
              .map((p) => p.name)
              .sort(),
          ).toEqual(["Blue mug", "Tall latte mug"]);
          expect((await expectStatus<{ title: string }>(await visit(first.url, "/modules/shop/storefront"), 200)).title).toBe(
            "Shop",
          );

          // The demo tenant's owner (the seeded admin) sees the shop on, and was told.
          const owner = await signInAsAdmin(first, strongPassword);
          const asOwner = { headers: { ...bearer(owner.accessToken), "x-tenant": "demo" } };
          const modules = await expectStatus<Array<{ id: string; enabled: boolean; allowedByPlan: boolean }>>(
            await fetch(`${first.url}/api/v1/tenant/modules`, asOwner),
            200,
          );
          expect(modules.find((m) => m.id === "shop")).toMatchObject({ enabled: true, allowedByPlan: true });
          const notices = await expectStatus<Page<{ kind: string; title: string }>>(
            await fetch(`${first.url}/api/v1/tenant/notifications`, asOwner),
            200,
          );
          expect(notices.items.map((n) => n.kind)).toContain("module.enabled");
        } finally {
          await first.close();
        }

        const second = await startServer(config, createLogger(config));
        try {
          const again = (
            await expectStatus<Page<StorefrontProduct>>(await visit(second.url, "/modules/shop/products?limit=50"), 200)
          ).items;
          expect(again.map((p) => p.id).sort()).toEqual(products.map((p) => p.id).sort());
        } finally {
          await second.close();
        }
      } finally {
        await database.drop();
        await rm(pgliteDir, { recursive: true, force: true });
      }
    },
  );
});
