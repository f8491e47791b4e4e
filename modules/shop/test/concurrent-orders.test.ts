import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inShop,
  newProduct,
  openShop,
  orderRowsFor,
  outcome,
  refusal,
  stockOf,
  testBackends,
  type ShopCaller,
  type ShopHarness,
} from "./support/shop-kit.ts";

/**
 * Stock under simultaneous requests. On PGlite (one connection) the requests are serialised; on
 * PostgreSQL they run in separate transactions at once and truly race for the same rows: that
 * run is the one that proves the conditional UPDATEs.
 */

const buyers = 8;

describe.each(testBackends())("concurrent orders on $name", (backend) => {
  let h: ShopHarness;
  let customers: ShopCaller[];

  beforeAll(async () => {
    h = await openShop(backend);
    customers = [];
    for (let i = 0; i < buyers; i++) customers.push((await h.customer()).caller);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Each customer's call started at once; every settled result's refusal code, or "ok". */
  async function race<T>(call: (customer: ShopCaller, index: number) => Promise<T>) {
    const settled = await Promise.allSettled(customers.map((c, i) => call(c, i)));
    const codes = await Promise.all(
      settled.map(async (s) => (s.status === "fulfilled" ? "ok" : (await refusal(Promise.reject(s.reason))).code)),
    );
    const fulfilled = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    return { codes, fulfilled };
  }
  const tally = (codes: string[]) => codes.reduce<Record<string, number>>((n, c) => ({ ...n, [c]: (n[c] ?? 0) + 1 }), {});

  it(`sells the last item to exactly one of ${buyers} simultaneous buyers`, async () => {
    const lastOne = await newProduct(h, { stock: 1, priceMinor: 4200 });
    const { codes, fulfilled } = await race((c) => c.orders.place({ items: [{ productId: lastOne.id, quantity: 1 }] }));

    expect(tally(codes)).toEqual({ ok: 1, OUT_OF_STOCK: buyers - 1 });
    expect(await stockOf(h, lastOne.id)).toBe(0);
    const rows = await orderRowsFor(h, lastOne.id);
    expect(rows.map((r) => r.id)).toEqual([fulfilled[0]!.id]);
    expect(rows[0]!.items).toMatchObject([{ productId: lastOne.id, quantity: 1, unitPriceMinor: 4200 }]);
  });

  it(`sells 5 in stock to exactly 5 of ${buyers} simultaneous buyers of one each`, async () => {
    const five = await newProduct(h, { stock: 5 });
    const { codes, fulfilled } = await race((c) => c.orders.place({ items: [{ productId: five.id, quantity: 1 }] }));

    expect(tally(codes)).toEqual({ ok: 5, OUT_OF_STOCK: buyers - 5 });
    expect(await stockOf(h, five.id)).toBe(0);
    const rows = await orderRowsFor(h, five.id);
    expect(rows.map((r) => r.id).sort()).toEqual(fulfilled.map((o) => o.id).sort());
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(5);
  });

  it("never oversells when buyers want different quantities at once", async () => {
    const ten = await newProduct(h, { stock: 10 });
    // Wants 1..8 (36 in all) of 10.
    const { fulfilled } = await race((c, i) => c.orders.place({ items: [{ productId: ten.id, quantity: i + 1 }] }));
    const sold = fulfilled.reduce((sum, o) => sum + o.items[0]!.quantity, 0);
    expect(sold).toBeGreaterThan(0);
    expect(sold).toBeLessThanOrEqual(10);
    expect(await stockOf(h, ten.id)).toBe(10 - sold);
    const rows = await orderRowsFor(h, ten.id);
    expect(rows.reduce((sum, r) => sum + r.items[0]!.quantity, 0)).toBe(sold);
  });

  it("takes multi-line orders listing the same products in opposite orders without deadlock or loss", async () => {
    const a = await newProduct(h, { stock: 100 });
    const b = await newProduct(h, { stock: 100 });
    const { codes } = await race((c, i) =>
      c.orders.place({
        items:
          i % 2 === 0
            ? [
                { productId: a.id, quantity: 2 },
                { productId: b.id, quantity: 3 },
              ]
            : [
                { productId: b.id, quantity: 3 },
                { productId: a.id, quantity: 2 },
              ],
      }),
    );
    expect(tally(codes)).toEqual({ ok: buyers });
    expect([await stockOf(h, a.id), await stockOf(h, b.id)]).toEqual([100 - 2 * buyers, 100 - 3 * buyers]);
  });

  it("returns the stock once when two admins cancel the same order at once", async () => {
    const admins = [h.owner, await h.member("admin")];
    const product = await newProduct(h, { stock: 6 });
    const order = await customers[0]!.orders.place({ items: [{ productId: product.id, quantity: 4 }] });
    expect(await stockOf(h, product.id)).toBe(2);

    const settled = await Promise.allSettled(
      admins.map((a) => a.orders.updateStatus({ orderId: order.id, status: "cancelled" })),
    );
    const codes = await Promise.all(
      settled.map(async (s) => (s.status === "fulfilled" ? "ok" : (await refusal(Promise.reject(s.reason))).code)),
    );
    expect(codes.sort()).toEqual(["INVALID_STATUS_TRANSITION", "ok"]);
    expect(await stockOf(h, product.id)).toBe(6);
    expect((await inShop(h, (tx) => tx.shopOrder.findUniqueOrThrow({ where: { id: order.id } }))).status).toBe("cancelled");
  });

  it("refuses deleting a product being ordered at that moment with PRODUCT_HAS_ORDERS, or the order with PRODUCT_NOT_FOUND", async () => {
    const seen: string[] = [];
    for (let round = 0; round < 5; round++) {
      const product = await newProduct(h, { stock: 5 });
      const [placed, deleted] = await Promise.all([
        outcome(customers[round]!.orders.place({ items: [{ productId: product.id, quantity: 1 }] })),
        outcome(h.owner.catalog.products.delete({ productId: product.id })),
      ]);
      seen.push(`${placed}/${deleted}`);
      const exists = await inShop(h, (tx) => tx.shopProduct.count({ where: { id: product.id } }));
      // Whichever came first, the data is consistent.
      expect(exists).toBe(placed === "ok" ? 1 : 0);
    }
    for (const pair of seen) expect(["ok/PRODUCT_HAS_ORDERS", "PRODUCT_NOT_FOUND/ok"]).toContain(pair);
  });

  it("lets exactly one of a cancel and a ship of the same order win, with stock to match", async () => {
    const product = await newProduct(h, { stock: 3 });
    const order = await customers[1]!.orders.place({ items: [{ productId: product.id, quantity: 3 }] });
    const admin = await h.member("admin");

    const settled = await Promise.allSettled([
      h.owner.orders.updateStatus({ orderId: order.id, status: "cancelled" }),
      admin.orders.updateStatus({ orderId: order.id, status: "shipped" }),
    ]);
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    const lost = settled.find((s) => s.status === "rejected");
    expect((await refusal(Promise.reject(lost?.reason))).code).toBe("INVALID_STATUS_TRANSITION");
    const status = (await inShop(h, (tx) => tx.shopOrder.findUniqueOrThrow({ where: { id: order.id } }))).status;
    expect(await stockOf(h, product.id)).toBe(status === "cancelled" ? 3 : 0);
  });
});
