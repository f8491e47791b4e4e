import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  newCategory,
  newProduct,
  openShop,
  outcome,
  refusal,
  testBackends,
  type ShopCaller,
  type ShopHarness,
} from "./support/shop-kit.ts";

/**
 * The shop only answers while it is enabled for the tenant and the tenant's plan includes it;
 * switching it off keeps its data. Every test leaves the shop enabled on the harness plan.
 */

describe.each(testBackends())("shop gating on $name", (backend) => {
  let h: ShopHarness;
  let customer: ShopCaller;
  let admin: ShopCaller;
  let product: { id: string };
  let category: { id: string };
  let order: { id: string };

  beforeAll(async () => {
    h = await openShop(backend);
    customer = (await h.customer()).caller;
    admin = await h.member("admin");
    category = await newCategory(h);
    product = await newProduct(h, { stock: 5, categoryId: category.id });
    await h.owner.settings.update({ storefrontTitle: "Kept" });
    order = await customer.orders.place({ items: [{ productId: product.id, quantity: 1 }] });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** One call of every kind of procedure: storefront, customer, member, permitted, settings. */
  const everyKindOfCall: Record<string, () => Promise<unknown>> = {
    "storefront.get": () => h.visitor().storefront.get(),
    "products.list": () => h.visitor().products.list({}),
    "products.get": () => h.visitor().products.get({ productId: product.id }),
    "categories.list": () => h.visitor().categories.list({}),
    "orders.place": () => customer.orders.place({ items: [{ productId: product.id, quantity: 1 }] }),
    "orders.mine": () => customer.orders.mine({}),
    "orders.list": () => h.owner.orders.list({}),
    "orders.get": () => admin.orders.get({ orderId: order.id }),
    "orders.updateStatus": () => h.owner.orders.updateStatus({ orderId: order.id, status: "cancelled" }),
    "catalog.products.create": () => h.owner.catalog.products.create({ name: "Sneaked in", priceMinor: 1 }),
    "catalog.products.list": () => admin.catalog.products.list({}),
    "catalog.categories.create": () => h.owner.catalog.categories.create({ name: "Sneaked", slug: "sneaked" }),
    "settings.get": () => h.owner.settings.get(),
    "settings.update": () => h.owner.settings.update({ storefrontTitle: "Changed while off" }),
  };

  async function outcomes() {
    const results: Record<string, string> = {};
    for (const [name, call] of Object.entries(everyKindOfCall)) results[name] = await outcome(call());
    return results;
  }
  const all = (code: string) => Object.fromEntries(Object.keys(everyKindOfCall).map((name) => [name, code]));

  it("refuses every procedure with MODULE_NOT_ENABLED while the shop is disabled", async () => {
    await h.disable();
    try {
      expect(await outcomes()).toEqual(all("MODULE_NOT_ENABLED"));
    } finally {
      await h.enable();
    }
  });

  it("keeps products, categories, orders, stock and settings while disabled", async () => {
    await h.disable();
    await h.enable();
    expect((await h.visitor().storefront.get()).title).toBe("Kept");
    expect((await h.visitor().products.get({ productId: product.id })).categoryId).toBe(category.id);
    expect((await h.visitor().categories.list({ limit: 100 })).items.map((c) => c.id)).toContain(category.id);
    expect(await h.owner.orders.get({ orderId: order.id })).toMatchObject({ status: "paid" });
    expect((await customer.orders.mine({})).items.map((o) => o.id)).toEqual([order.id]);
    const stored = (await h.owner.catalog.products.list({ limit: 100 })).items.find((p) => p.id === product.id);
    expect(stored?.stock).toBe(4);
    // Nothing the refused calls tried went through.
    expect((await h.owner.catalog.products.list({ limit: 100 })).items.map((p) => p.name)).not.toContain("Sneaked in");
    expect((await h.visitor().categories.list({ limit: 100 })).items.map((c) => c.slug)).not.toContain("sneaked");
  });

  /** Called by visitors and customers, who are not told the tenant's plan. */
  const publicFacing = ["storefront.get", "products.list", "products.get", "categories.list", "orders.place", "orders.mine"];

  it("refuses members with MODULE_NOT_IN_PLAN on the free plan, everyone else as if disabled, and will not enable it there", async () => {
    await h.setPlan("free");
    try {
      expect(await outcomes()).toEqual(
        Object.fromEntries(
          Object.keys(everyKindOfCall).map((name) => [
            name,
            publicFacing.includes(name) ? "MODULE_NOT_ENABLED" : "MODULE_NOT_IN_PLAN",
          ]),
        ),
      );
      const visitorRefusal = await refusal(h.visitor().storefront.get());
      expect(visitorRefusal.message).not.toMatch(/free|plan/i);
      await h.disable();
      expect(await outcome(h.enable())).toBe("MODULE_NOT_IN_PLAN");
    } finally {
      await h.setPlan("harness");
      await h.enable();
    }
    expect(await h.owner.orders.get({ orderId: order.id })).toMatchObject({ status: "paid" });
  });

  it.each(["pro", "business"])("answers on the %s plan, which the manifest lists", async (plan) => {
    await h.setPlan(plan);
    try {
      expect(await outcome(h.visitor().storefront.get())).toBe("ok");
      expect(await outcome(h.owner.orders.list({}))).toBe("ok");
    } finally {
      await h.setPlan("harness");
    }
  });

  it("disabling one tenant's shop leaves another tenant's shop open", async () => {
    const other = await h.otherTenant();
    await h.disable();
    try {
      expect(await outcome(other.owner.storefront.get())).toBe("ok");
      expect(await outcome(other.owner.catalog.products.create({ name: "Theirs", priceMinor: 1 }))).toBe("ok");
      expect(await outcome(h.visitor().storefront.get())).toBe("MODULE_NOT_ENABLED");
    } finally {
      await h.enable();
    }
    expect(await outcome(h.visitor().storefront.get())).toBe("ok");
  });
});
