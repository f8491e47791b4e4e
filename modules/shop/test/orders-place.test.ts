import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inShop,
  invalidFields,
  newProduct,
  openShop,
  orderRowsFor,
  refusal,
  stockOf,
  testBackends,
  type ShopCaller,
  type ShopHarness,
} from "./support/shop-kit.ts";

/** Placing an order: stock taken, totals and snapshots, and every refusal leaving stock as it was. */

describe.each(testBackends())("placing orders on $name", (backend) => {
  let h: ShopHarness;
  let customer: { userId: string; caller: ShopCaller };
  beforeAll(async () => {
    h = await openShop(backend);
    customer = await h.customer();
  });
  afterAll(async () => {
    await h?.close();
  });

  const stocks = async (...ids: string[]) => Promise.all(ids.map((id) => stockOf(h, id)));
  const orderCount = () => inShop(h, (tx) => tx.shopOrder.count());

  it("lets a signed-in customer (not a member) order: stock taken, total summed, lines snapshotted", async () => {
    const shirt = await newProduct(h, { name: "Shirt", priceMinor: 1999, stock: 10 });
    const socks = await newProduct(h, { name: "Socks", priceMinor: 450, stock: 4 });

    const order = await customer.caller.orders.place({
      items: [
        { productId: shirt.id, quantity: 2 },
        { productId: socks.id, quantity: 3 },
      ],
      note: "Gift wrap, please",
    });
    expect(order).toMatchObject({
      customerId: customer.userId,
      status: "paid",
      totalMinor: 2 * 1999 + 3 * 450,
      currency: "EUR",
      note: "Gift wrap, please",
      shippedAt: null,
      deliveredAt: null,
      cancelledAt: null,
    });
    expect(order.items).toEqual([
      { productId: shirt.id, name: "Shirt", unitPriceMinor: 1999, quantity: 2 },
      { productId: socks.id, name: "Socks", unitPriceMinor: 450, quantity: 3 },
    ]);
    expect(await stocks(shirt.id, socks.id)).toEqual([8, 1]);

    const row = await inShop(h, (tx) => tx.shopOrder.findUniqueOrThrow({ where: { id: order.id }, include: { items: true } }));
    expect(row).toMatchObject({ tenantId: h.tenant.id, customerId: customer.userId, totalMinor: 5348, status: "paid" });
    expect(row.items).toHaveLength(2);
  });

  it("keeps the order as it was when the product's price or name changes later", async () => {
    const lamp = await newProduct(h, { name: "Lamp", priceMinor: 3000, stock: 5 });
    const order = await customer.caller.orders.place({ items: [{ productId: lamp.id, quantity: 1 }] });
    await h.owner.catalog.products.update({ productId: lamp.id, name: "Deluxe lamp", priceMinor: 9900 });

    const expected = { totalMinor: 3000, items: [{ productId: lamp.id, name: "Lamp", unitPriceMinor: 3000, quantity: 1 }] };
    expect(await h.owner.orders.get({ orderId: order.id })).toMatchObject(expected);
    expect((await customer.caller.orders.mine({ limit: 100 })).items.find((o) => o.id === order.id)).toMatchObject(expected);
    // A new order pays the new price.
    expect((await customer.caller.orders.place({ items: [{ productId: lamp.id, quantity: 1 }] })).totalMinor).toBe(9900);
  });

  it("sells the very last items, then refuses with OUT_OF_STOCK", async () => {
    const vase = await newProduct(h, { stock: 2 });
    await customer.caller.orders.place({ items: [{ productId: vase.id, quantity: 2 }] });
    expect(await stockOf(h, vase.id)).toBe(0);
    expect((await h.visitor().products.get({ productId: vase.id })).inStock).toBe(false);
    expect(await refusal(customer.caller.orders.place({ items: [{ productId: vase.id, quantity: 1 }] }))).toMatchObject({
      code: "OUT_OF_STOCK",
    });
    expect(await stockOf(h, vase.id)).toBe(0);
  });

  it("refuses more than the stock with OUT_OF_STOCK and takes nothing", async () => {
    const chair = await newProduct(h, { stock: 37 });
    const before = await orderCount();
    const refused = await refusal(customer.caller.orders.place({ items: [{ productId: chair.id, quantity: 40 }] }));
    expect(refused.code).toBe("OUT_OF_STOCK");
    // The storefront shows availability, not stock counts; neither does the refusal. (As a
    // whole number: the product's name is made from its random id, which may hold "37".)
    expect(refused.message).not.toMatch(/\b37\b/);
    expect(await stockOf(h, chair.id)).toBe(37);
    expect(await orderCount()).toBe(before);
  });

  // Lines are taken in product-id order, so of the two arrangements below, one has the failing
  // line taken second, after the other line's stock was already decremented.
  it.each([
    ["the first line", 0],
    ["the second line", 1],
  ])("leaves every line's stock unchanged when %s is out of stock", async (_label, failing) => {
    const products = [await newProduct(h, { stock: 5 }), await newProduct(h, { stock: 5 })];
    for (const order of [products, [...products].reverse()]) {
      const before = await orderCount();
      const items = order.map((p, i) => ({ productId: p.id, quantity: i === failing ? 6 : 2 }));
      const refused = await refusal(customer.caller.orders.place({ items }));
      expect(refused.code).toBe("OUT_OF_STOCK");
      expect(await stocks(products[0]!.id, products[1]!.id)).toEqual([5, 5]);
      expect(await orderCount()).toBe(before);
    }
  });

  it("answers a line naming no product the same whatever the other lines' stock (no way to probe stock)", async () => {
    const product = await newProduct(h, { stock: 2 });
    // An id that sorts after every other, so its line is checked last.
    const missing = "ffffffff-ffff-4fff-bfff-ffffffffffff";
    for (const quantity of [1, 2, 3, 50]) {
      const answer = await refusal(
        customer.caller.orders.place({
          items: [
            { productId: product.id, quantity },
            { productId: missing, quantity: 1 },
          ],
        }),
      );
      expect({ quantity, code: answer.code }).toEqual({ quantity, code: "PRODUCT_NOT_FOUND" });
    }
    expect(await stockOf(h, product.id)).toBe(2);
  });

  it("refuses an inactive, unknown or other tenant's product with PRODUCT_NOT_FOUND, taking nothing", async () => {
    const fine = await newProduct(h, { stock: 5 });
    const inactive = await newProduct(h, { stock: 5, active: false });
    const other = await h.otherTenant();
    const theirs = await other.owner.catalog.products.create({ name: "Theirs", priceMinor: 100, stock: 5 });
    const before = await orderCount();

    for (const missing of [inactive.id, randomUUID(), theirs.id]) {
      for (const items of [
        [{ productId: missing, quantity: 1 }],
        [
          { productId: fine.id, quantity: 1 },
          { productId: missing, quantity: 1 },
        ],
        [
          { productId: missing, quantity: 1 },
          { productId: fine.id, quantity: 1 },
        ],
      ]) {
        expect(await refusal(customer.caller.orders.place({ items }))).toMatchObject({ code: "PRODUCT_NOT_FOUND" });
      }
    }
    expect(await stocks(fine.id, inactive.id)).toEqual([5, 5]);
    expect(await stockOf(h, theirs.id, other.id)).toBe(5);
    expect(await orderCount()).toBe(before);
  });

  it("refuses products priced in different currencies with MIXED_CURRENCIES, taking nothing", async () => {
    const euro = await newProduct(h, { stock: 5, currency: "EUR" });
    const dollar = await newProduct(h, { stock: 5, currency: "USD" });
    const before = await orderCount();
    for (const items of [
      [
        { productId: euro.id, quantity: 1 },
        { productId: dollar.id, quantity: 2 },
      ],
      [
        { productId: dollar.id, quantity: 2 },
        { productId: euro.id, quantity: 1 },
      ],
    ]) {
      expect(await refusal(customer.caller.orders.place({ items }))).toMatchObject({ code: "MIXED_CURRENCIES" });
    }
    expect(await stocks(euro.id, dollar.id)).toEqual([5, 5]);
    expect(await orderCount()).toBe(before);
    // Each alone is fine, in its own currency.
    expect((await customer.caller.orders.place({ items: [{ productId: dollar.id, quantity: 1 }] })).currency).toBe("USD");
  });

  it("refuses an order whose total does not fit (ORDER_TOO_LARGE), taking nothing", async () => {
    const pricey = await newProduct(h, { priceMinor: 100_000_000, stock: 100 });
    expect(await refusal(customer.caller.orders.place({ items: [{ productId: pricey.id, quantity: 22 }] }))).toMatchObject({
      code: "ORDER_TOO_LARGE",
    });
    expect(await stockOf(h, pricey.id)).toBe(100);
    // 21 × 100 000 000 = 2 100 000 000 still fits in the 32-bit column.
    expect((await customer.caller.orders.place({ items: [{ productId: pricey.id, quantity: 21 }] })).totalMinor).toBe(
      2_100_000_000,
    );
  });

  it.each([
    ["no items", { items: [] }, "items"],
    ["a quantity of zero", { items: [{ productId: "P", quantity: 0 }] }, "items.0.quantity"],
    ["a negative quantity", { items: [{ productId: "P", quantity: -3 }] }, "items.0.quantity"],
    ["a fractional quantity", { items: [{ productId: "P", quantity: 1.5 }] }, "items.0.quantity"],
    ["a quantity above 100", { items: [{ productId: "P", quantity: 101 }] }, "items.0.quantity"],
    ["a productId that is not a uuid", { items: [{ productId: "P' OR '1'='1", quantity: 1 }] }, "items.0.productId"],
    [
      "the same product twice",
      {
        items: [
          { productId: "P", quantity: 1 },
          { productId: "P", quantity: 1 },
        ],
      },
      "items",
    ],
    ["a note too long", { items: [{ productId: "P", quantity: 1 }], note: "x".repeat(1001) }, "note"],
  ])("refuses %s with VALIDATION_FAILED naming the field, taking nothing", async (_label, input, field) => {
    const product = await newProduct(h, { stock: 200 });
    const withId = JSON.parse(JSON.stringify(input).replaceAll('"P"', JSON.stringify(product.id))) as never;
    expect(await invalidFields(customer.caller.orders.place(withId))).toContain(field);
    expect(await stockOf(h, product.id)).toBe(200);
    expect(await orderRowsFor(h, product.id)).toEqual([]);
  });

  it("refuses the same product twice even when one id is written in upper case", async () => {
    const product = await newProduct(h, { stock: 300 });
    const items = [
      { productId: product.id, quantity: 100 },
      { productId: product.id.toUpperCase(), quantity: 100 },
    ];
    expect(await invalidFields(customer.caller.orders.place({ items }))).toContain("items");
    expect(await stockOf(h, product.id)).toBe(300);
  });

  it("refuses a visitor who is not signed in (UNAUTHENTICATED)", async () => {
    const product = await newProduct(h, { stock: 1 });
    expect(await refusal(h.visitor().orders.place({ items: [{ productId: product.id, quantity: 1 }] }))).toMatchObject({
      code: "UNAUTHENTICATED",
    });
    expect(await stockOf(h, product.id)).toBe(1);
  });

  it("notifies the shop's owners and admins of a new order, and nobody else", async () => {
    await h.member("admin");
    await h.member("member");
    const product = await newProduct(h, { name: "Teapot", priceMinor: 2450, stock: 3 });
    const order = await customer.caller.orders.place({ items: [{ productId: product.id, quantity: 2 }] });

    const { staff, notes } = await inShop(h, async (tx) => ({
      staff: await tx.tenantMember.findMany({ where: { role: { in: ["owner", "admin"] } }, select: { userId: true } }),
      notes: await tx.notification.findMany({ where: { kind: "shop.order.placed" } }),
    }));
    const aboutThis = notes.filter((n) => (n.data as { orderId?: string }).orderId === order.id);
    expect(staff.length).toBeGreaterThanOrEqual(2);
    expect(aboutThis.map((n) => n.userId).sort()).toEqual(staff.map((s) => s.userId).sort());
    for (const note of aboutThis) {
      expect(note).toMatchObject({ source: "shop", kind: "shop.order.placed" });
      expect(note.body).toContain("Teapot");
    }
  });

  it("sends no notification for a refused order", async () => {
    const product = await newProduct(h, { stock: 1 });
    const count = () => inShop(h, (tx) => tx.notification.count({ where: { kind: "shop.order.placed" } }));
    const before = await count();
    expect((await refusal(customer.caller.orders.place({ items: [{ productId: product.id, quantity: 2 }] }))).code).toBe(
      "OUT_OF_STOCK",
    );
    expect(await count()).toBe(before);
  });
});
