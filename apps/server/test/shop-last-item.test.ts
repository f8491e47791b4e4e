import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignedUp } from "./support/sign-up.ts";
import {
  addProduct,
  catalog,
  notificationsOf,
  shopTenant,
  type As,
  type Order,
  type OrderPage,
  type StorefrontProductPage,
} from "./support/shop.ts";
import {
  expectApiError,
  expectStatus,
  register,
  tenantClient,
  tenantEnv,
  type ErrorBody,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

interface Answer {
  buyer: SignedUp;
  status: number;
  body: Order | ErrorBody;
}

describe.each(testBackends())("the last item, wanted by ten customers at the same moment, on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;
  /** Ten signed-in customers, members of no tenant (each registered from its own address). */
  let buyers: SignedUp[];

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    api = tenantClient(server);
    buyers = await Promise.all(Array.from({ length: 10 }, () => register(server)));
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Every buyer POSTs its order at once; the answers in buyer order. */
  function rush(tenant: string, orderOf: (index: number) => unknown): Promise<Answer[]> {
    return Promise.all(
      buyers.map(async (buyer, index) => {
        const res = await fetch(`${server.url}/api/v1/modules/shop/orders`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${buyer.accessToken}`, "x-tenant": tenant },
          body: JSON.stringify(orderOf(index)),
        });
        return { buyer, status: res.status, body: (await res.json()) as Order | ErrorBody };
      }),
    );
  }

  /** `"201"` or `"409 OUT_OF_STOCK"` per answer, sorted: the outcome without the luck of who won. */
  const outcomes = (answers: Answer[]) =>
    answers.map((a) => (a.status === 201 ? "201" : `${a.status} ${(a.body as ErrorBody).data?.appCode}`)).sort();

  const orders = async (as: As) =>
    (await expectStatus<OrderPage>(await api.get("/modules/shop/orders?limit=100", as), 200)).items;

  it("sells a stock of 1 exactly once: one 201, nine 409 OUT_OF_STOCK, stock 0, one order", async () => {
    for (let round = 1; round <= 3; round += 1) {
      const { tenant, as } = await shopTenant(server, api);
      const product = await addProduct(api, as, { name: `The last one (${round})`, priceMinor: 5000, stock: 1 });

      const answers = await rush(tenant.slug, () => ({ items: [{ productId: product.id, quantity: 1 }] }));
      expect({ round, outcomes: outcomes(answers) }).toEqual({ round, outcomes: ["201", ...Array(9).fill("409 OUT_OF_STOCK")] });

      const winner = answers.find((a) => a.status === 201)!;
      const sold = winner.body as Order;
      expect(sold).toMatchObject({
        customerId: winner.buyer.user.id,
        status: "paid",
        totalMinor: 5000,
        items: [{ productId: product.id, quantity: 1, unitPriceMinor: 5000 }],
      });
      for (const loser of answers.filter((a) => a !== winner)) {
        // The refusal names the line, and not how many are left.
        const message = (loser.body as ErrorBody).message;
        expect(message.startsWith("items.0.quantity: ")).toBe(true);
        expect(message.slice("items.0.quantity: ".length).replace(product.name, "")).not.toMatch(/\b0\b/);
      }

      expect((await catalog(api, as)).map((p) => [p.id, p.stock])).toEqual([[product.id, 0]]);
      expect(await orders(as)).toEqual([sold]);
      const storefront = await expectStatus<StorefrontProductPage>(
        await api.get("/modules/shop/products", { tenant: tenant.slug }),
        200,
      );
      expect(storefront.items.map((p) => [p.id, p.inStock])).toEqual([[product.id, false]]);
      // One order, one notice.
      const placed = (await notificationsOf(api, as)).items.filter((n) => n.kind === "shop.order.placed");
      expect(placed.map((n) => n.data)).toEqual([{ orderId: sold.id }]);
      // Only the winner has an order to follow.
      for (const answer of answers) {
        const mine = await expectStatus<OrderPage>(
          await api.get("/modules/shop/customer/orders", { token: answer.buyer.accessToken, tenant: tenant.slug }),
          200,
        );
        expect(mine.items.map((o) => o.id)).toEqual(answer === winner ? [sold.id] : []);
      }

      // Sold out is sold out; cancelling gives the item back for the next customer.
      const late = await api.post(
        "/modules/shop/orders",
        { items: [{ productId: product.id, quantity: 1 }] },
        { token: buyers[0]!.accessToken, tenant: tenant.slug },
      );
      await expectApiError(late, 409, "OUT_OF_STOCK", "items.0.quantity");
      await expectStatus(await api.patch(`/modules/shop/orders/${sold.id}`, { status: "cancelled" }, as), 200);
      expect((await catalog(api, as)).map((p) => p.stock)).toEqual([1]);
    }
  });

  it("holds stock exactly when orders of two products, listed in either order, arrive at once", async () => {
    const { tenant, as } = await shopTenant(server, api);
    const a = await addProduct(api, as, { name: "Left boot", priceMinor: 4000, stock: 3 });
    const b = await addProduct(api, as, { name: "Right boot", priceMinor: 4000, stock: 4 });
    // Half list a first, half b first: taking rows in the order given could deadlock.
    const answers = await rush(tenant.slug, (index) => ({
      items:
        index % 2 === 0
          ? [
              { productId: a.id, quantity: 1 },
              { productId: b.id, quantity: 1 },
            ]
          : [
              { productId: b.id, quantity: 1 },
              { productId: a.id, quantity: 1 },
            ],
    }));
    expect(outcomes(answers)).toEqual(["201", "201", "201", ...Array(7).fill("409 OUT_OF_STOCK")]);

    // A refused order that had taken the other boot gave it back: exactly 3 of each were sold.
    const stock = Object.fromEntries((await catalog(api, as)).map((p) => [p.name, p.stock]));
    expect(stock).toEqual({ "Left boot": 0, "Right boot": 1 });
    const placed = await orders(as);
    expect(placed.map((o) => o.id).sort()).toEqual(
      answers
        .filter((x) => x.status === 201)
        .map((x) => (x.body as Order).id)
        .sort(),
    );
    for (const order of placed) {
      expect(order.items.map((i) => [i.productId, i.quantity]).sort()).toEqual(
        [
          [a.id, 1],
          [b.id, 1],
        ].sort(),
      );
      expect(order.totalMinor).toBe(8000);
    }
  });

  it("answers every order 201 or 4xx while the owner deletes the shop, and the shop goes", async () => {
    // The deletion's cascade and the orders take row locks in opposite orders: PostgreSQL ended
    // the deadlock by aborting one of them, which answered 500; an order that came after the
    // tenant had gone found no subscription and answered 500 too (found by probing what the
    // fuzz suite runs last).
    for (let round = 1; round <= 4; round += 1) {
      const { tenant, as } = await shopTenant(server, api);
      const products = await Promise.all(
        ["Tea", "Cup", "Pot"].map((name) => addProduct(api, as, { name: `${name} ${round}`, priceMinor: 300, stock: 100 })),
      );
      const order = { items: products.map((p) => ({ productId: p.id, quantity: 1 })) };
      const deletion = new Promise<Response>((resolve) => setTimeout(() => resolve(api.delete("/tenant", as)), 5 * round));
      const [answers, deleted] = await Promise.all([rush(tenant.slug, () => order), deletion]);
      expect({ round, serverErrors: answers.filter((a) => a.status >= 500).map((a) => a.body) }).toEqual({
        round,
        serverErrors: [],
      });
      for (const answer of answers.filter((a) => a.status !== 201)) {
        expect((answer.body as ErrorBody).data.appCode).toMatch(/^[A-Z_]+$/);
      }
      // Losing a deadlock is a conflict to retry, never a server error.
      let res = deleted;
      for (let retry = 0; res.status === 409 && retry < 3; retry += 1) res = await api.delete("/tenant", as);
      expect(res.status).toBe(200);
      await expectApiError(await api.get("/tenant/public", { tenant: tenant.slug }), 404, "TENANT_NOT_FOUND");
    }
  });
});
