import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allPages,
  inShop,
  invalidFields,
  newProduct,
  openShop,
  outcome,
  pause,
  refusal,
  stockOf,
  testBackends,
  type ShopCaller,
  type ShopHarness,
} from "./support/shop-kit.ts";

/** Following orders: a customer's own, the staff's view, and moving an order on (ship, deliver, cancel). */

describe.each(testBackends())("managing orders on $name", (backend) => {
  let h: ShopHarness;
  let alice: { userId: string; caller: ShopCaller };
  let bob: { userId: string; caller: ShopCaller };
  let member: ShopCaller;
  let admin: ShopCaller;

  beforeAll(async () => {
    h = await openShop(backend);
    alice = await h.customer();
    bob = await h.customer();
    member = await h.member("member");
    admin = await h.member("admin");
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A paid order of `quantity` of a new product with `stock`. */
  async function paidOrder(by = alice, { stock = 10, quantity = 2 } = {}) {
    const product = await newProduct(h, { stock });
    const order = await by.caller.orders.place({ items: [{ productId: product.id, quantity }] });
    return { product, order };
  }

  it("shows a customer only their own orders, newest first", async () => {
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) {
      mine.push((await paidOrder(alice)).order.id);
      await pause(5); // distinct creation times, so "newest first" has one answer
    }
    const bobs = (await paidOrder(bob)).order.id;

    const alicePages = await allPages((cursor) => alice.caller.orders.mine({ cursor, limit: 2 }));
    const aliceSees = alicePages.flat();
    expect(aliceSees.every((o) => o.customerId === alice.userId)).toBe(true);
    expect(aliceSees.map((o) => o.id)).not.toContain(bobs);
    expect(aliceSees.map((o) => o.id).filter((id) => mine.includes(id))).toEqual([...mine].reverse());
    expect(new Set(aliceSees.map((o) => o.id)).size).toBe(aliceSees.length);

    const bobSees = (await bob.caller.orders.mine({})).items.map((o) => o.id);
    expect(bobSees).toContain(bobs);
    expect(bobSees.some((id) => mine.includes(id))).toBe(false);

    // Someone who never ordered sees nothing; a visitor must sign in.
    expect((await (await h.customer()).caller.orders.mine({})).items).toEqual([]);
    expect(await outcome(h.visitor().orders.mine({}))).toBe("UNAUTHENTICATED");
    expect(await refusal(alice.caller.orders.mine({ cursor: "forged" }))).toMatchObject({ code: "INVALID_CURSOR" });
  });

  it("lets owners and admins read the shop's orders (orders.read); plain members, customers and visitors not", async () => {
    const { order } = await paidOrder(bob);
    const everyOrder = await inShop(h, (tx) => tx.shopOrder.findMany({ select: { id: true } }));
    for (const reader of [h.owner, admin]) {
      expect(await reader.orders.get({ orderId: order.id })).toEqual(order);
      const all = (await allPages((cursor) => reader.orders.list({ cursor, limit: 2 }))).flat();
      expect(all.map((o) => o.id).sort()).toEqual(everyOrder.map((o) => o.id).sort());
    }
    // Orders hold customers' ids and notes: a plain member sees none of them.
    expect(await outcome(member.orders.list({}))).toBe("PERMISSION_DENIED");
    expect(await outcome(member.orders.get({ orderId: order.id }))).toBe("PERMISSION_DENIED");
    expect(await outcome(alice.caller.orders.list({}))).toBe("NOT_A_MEMBER");
    expect(await outcome(bob.caller.orders.get({ orderId: order.id }))).toBe("NOT_A_MEMBER");
    expect(await outcome(h.visitor().orders.list({}))).toBe("UNAUTHENTICATED");
    expect(await refusal(h.owner.orders.get({ orderId: randomUUID() }))).toMatchObject({ code: "ORDER_NOT_FOUND" });
    expect(await invalidFields(h.owner.orders.get({ orderId: "42" }))).toContain("orderId");
  });

  it("filters the shop's orders by status", async () => {
    const shipped = (await paidOrder()).order;
    await h.owner.orders.updateStatus({ orderId: shipped.id, status: "shipped" });
    const cancelled = (await paidOrder()).order;
    await h.owner.orders.updateStatus({ orderId: cancelled.id, status: "cancelled" });
    const paid = (await paidOrder()).order;

    const byStatus = async (status: "paid" | "shipped" | "delivered" | "cancelled") =>
      (await allPages((cursor) => admin.orders.list({ status, cursor, limit: 100 }))).flat();
    for (const [status, id] of [
      ["shipped", shipped.id],
      ["cancelled", cancelled.id],
      ["paid", paid.id],
    ] as const) {
      const listed = await byStatus(status);
      expect(listed.map((o) => o.id)).toContain(id);
      expect(listed.every((o) => o.status === status)).toBe(true);
    }
    expect((await byStatus("delivered")).map((o) => o.id)).not.toContain(shipped.id);
    expect(await invalidFields(admin.orders.list({ status: "refunded" as never }))).toContain("status");
  });

  it("moves an order paid → shipped → delivered, stamping each step", async () => {
    const { order } = await paidOrder();
    const shipped = await admin.orders.updateStatus({ orderId: order.id, status: "shipped" });
    expect(shipped).toMatchObject({ status: "shipped", deliveredAt: null, cancelledAt: null });
    expect(shipped.shippedAt).not.toBeNull();
    const delivered = await h.owner.orders.updateStatus({ orderId: order.id, status: "delivered" });
    expect(delivered).toMatchObject({ status: "delivered", shippedAt: shipped.shippedAt, cancelledAt: null });
    expect(delivered.deliveredAt).not.toBeNull();
    expect(await alice.caller.orders.mine({ limit: 100 }).then((p) => p.items.find((o) => o.id === order.id)?.status)).toBe(
      "delivered",
    );
  });

  it("refuses moves the order may not make (INVALID_STATUS_TRANSITION), changing nothing", async () => {
    const { order, product } = await paidOrder(alice, { stock: 10, quantity: 2 });
    const statusOf = async () => (await h.owner.orders.get({ orderId: order.id })).status;

    expect(await refusal(h.owner.orders.updateStatus({ orderId: order.id, status: "delivered" }))).toMatchObject({
      code: "INVALID_STATUS_TRANSITION",
    });
    expect(await statusOf()).toBe("paid");

    await h.owner.orders.updateStatus({ orderId: order.id, status: "shipped" });
    expect(await refusal(h.owner.orders.updateStatus({ orderId: order.id, status: "shipped" }))).toMatchObject({
      code: "INVALID_STATUS_TRANSITION",
    });
    expect(await refusal(h.owner.orders.updateStatus({ orderId: order.id, status: "cancelled" }))).toMatchObject({
      code: "INVALID_STATUS_TRANSITION",
    });
    expect(await statusOf()).toBe("shipped");
    expect(await stockOf(h, product.id)).toBe(8); // no stock back for a shipped order

    await h.owner.orders.updateStatus({ orderId: order.id, status: "delivered" });
    expect(await refusal(h.owner.orders.updateStatus({ orderId: order.id, status: "cancelled" }))).toMatchObject({
      code: "INVALID_STATUS_TRANSITION",
    });
    expect(await statusOf()).toBe("delivered");
    expect(await stockOf(h, product.id)).toBe(8);

    // There is no way back to paid.
    expect(await invalidFields(h.owner.orders.updateStatus({ orderId: order.id, status: "paid" as never }))).toContain("status");
    expect(await refusal(h.owner.orders.updateStatus({ orderId: randomUUID(), status: "shipped" }))).toMatchObject({
      code: "ORDER_NOT_FOUND",
    });
  });

  it("cancels a paid order, returning every line's stock exactly once", async () => {
    const a = await newProduct(h, { stock: 10 });
    const b = await newProduct(h, { stock: 4 });
    const order = await alice.caller.orders.place({
      items: [
        { productId: a.id, quantity: 3 },
        { productId: b.id, quantity: 4 },
      ],
    });
    expect([await stockOf(h, a.id), await stockOf(h, b.id)]).toEqual([7, 0]);

    const cancelled = await h.owner.orders.updateStatus({ orderId: order.id, status: "cancelled" });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.cancelledAt).not.toBeNull();
    expect([await stockOf(h, a.id), await stockOf(h, b.id)]).toEqual([10, 4]);

    expect(await refusal(h.owner.orders.updateStatus({ orderId: order.id, status: "cancelled" }))).toMatchObject({
      code: "INVALID_STATUS_TRANSITION",
    });
    expect(await refusal(h.owner.orders.updateStatus({ orderId: order.id, status: "shipped" }))).toMatchObject({
      code: "INVALID_STATUS_TRANSITION",
    });
    expect([await stockOf(h, a.id), await stockOf(h, b.id)]).toEqual([10, 4]);
    // The order keeps its lines and total.
    expect(await h.owner.orders.get({ orderId: order.id })).toMatchObject({
      status: "cancelled",
      totalMinor: order.totalMinor,
      items: order.items,
    });
  });

  it("returns stock to a product that was taken off sale meanwhile", async () => {
    const { order, product } = await paidOrder(alice, { stock: 5, quantity: 5 });
    await h.owner.catalog.products.update({ productId: product.id, active: false });
    await h.owner.orders.updateStatus({ orderId: order.id, status: "cancelled" });
    expect(await stockOf(h, product.id)).toBe(5);
  });

  it("lets only owners and admins move orders on (orders.manage)", async () => {
    const { order, product } = await paidOrder();
    expect(await outcome(member.orders.updateStatus({ orderId: order.id, status: "shipped" }))).toBe("PERMISSION_DENIED");
    expect(await outcome(member.orders.updateStatus({ orderId: order.id, status: "cancelled" }))).toBe("PERMISSION_DENIED");
    expect(await outcome(alice.caller.orders.updateStatus({ orderId: order.id, status: "cancelled" }))).toBe("NOT_A_MEMBER");
    expect(await outcome(h.visitor().orders.updateStatus({ orderId: order.id, status: "cancelled" }))).toBe("UNAUTHENTICATED");
    const row = await inShop(h, (tx) => tx.shopOrder.findUniqueOrThrow({ where: { id: order.id } }));
    expect(row).toMatchObject({ status: "paid", shippedAt: null, cancelledAt: null });
    expect(await stockOf(h, product.id)).toBe(8);
  });

  it("keeps another tenant's orders out of reach", async () => {
    const other = await h.otherTenant();
    const theirProduct = await other.owner.catalog.products.create({ name: "Theirs", priceMinor: 100, stock: 5 });
    const theirCustomer = await h.customer();
    // The same account may shop in both tenants; its orders stay with each tenant.
    const ourOrder = (await paidOrder(theirCustomer)).order;
    const theirOrder = await other.owner.orders.place({ items: [{ productId: theirProduct.id, quantity: 2 }] });

    expect(await refusal(h.owner.orders.get({ orderId: theirOrder.id }))).toMatchObject({ code: "ORDER_NOT_FOUND" });
    expect(await refusal(h.owner.orders.updateStatus({ orderId: theirOrder.id, status: "cancelled" }))).toMatchObject({
      code: "ORDER_NOT_FOUND",
    });
    const ours = (await allPages((cursor) => h.owner.orders.list({ cursor, limit: 100 }))).flat().map((o) => o.id);
    expect(ours).toContain(ourOrder.id);
    expect(ours).not.toContain(theirOrder.id);
    expect((await other.owner.orders.get({ orderId: theirOrder.id })).status).toBe("paid");
    expect(await stockOf(h, theirProduct.id, other.id)).toBe(3);
    expect((await other.owner.orders.list({})).items.map((o) => o.id)).toEqual([theirOrder.id]);
  });
});
