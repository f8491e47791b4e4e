import { appRouter, listProcedures } from "@tenantry/api";
import { createClient } from "@tenantry/sdk";
import { appCodeOf } from "./support/sdk-errors.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeDns, type FakeDns } from "./support/fake-dns.ts";
import { signIn, testPassword, uniqueEmail } from "./support/sign-up.ts";
import {
  addProduct,
  catalog,
  defaultShopSettings,
  enableShopOk,
  notificationsOf,
  ownTenant,
  type NotificationPage,
  type Order,
  type OrderPage,
  type Product,
  type ShopSettings,
  type Storefront,
  type StorefrontProductPage,
} from "./support/shop.ts";
import {
  expectApiError,
  expectStatus,
  freshClientAddress,
  register,
  registerMember,
  tenantClient,
  tenantEnv,
  uniqueSlug,
  type Domain,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A product as the storefront shows it: no stock count, only whether there is any. */
const forSale = (p: Product) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  priceMinor: p.priceMinor,
  currency: p.currency,
  images: p.images,
  categoryId: p.categoryId,
  inStock: p.stock > 0,
});

describe.each(testBackends())("the shop, from opening to a delivered order, on $name", (backend) => {
  let dns: FakeDns;
  let server: TestServer;
  let api: TenantClient;

  beforeAll(async () => {
    dns = fakeDns();
    // tenantEnv trusts one proxy hop, so X-Forwarded-Host names the tenant's domain.
    server = await startTestServer(backend, tenantEnv(), { dns });
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A pro tenant with an owner and an admin (the admin runs the shop). */
  async function shopKeepers() {
    const { owner, tenant, as: asOwner } = await ownTenant(server, api, "pro");
    const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
    return { owner, tenant, asOwner, admin, asAdmin: { token: admin.accessToken, tenant: tenant.slug } };
  }

  it("over REST: an admin opens the shop; a customer on its own domain browses, signs in and buys; the order is delivered", async () => {
    const { tenant, asOwner, asAdmin } = await shopKeepers();

    // The admin enables the shop, sets its theme and stocks it.
    await enableShopOk(api, asAdmin);
    const settings = await expectStatus<ShopSettings>(
      await api.patch("/modules/shop/settings", { storefrontTitle: "Acme Goods", theme: { primaryColor: "#112233" } }, asAdmin),
      200,
    );
    expect(settings).toEqual({
      ...defaultShopSettings,
      storefrontTitle: "Acme Goods",
      theme: { ...defaultShopSettings.theme, primaryColor: "#112233" },
    });
    expect(await expectStatus(await api.get("/modules/shop/settings", asOwner), 200)).toEqual(settings);
    const kettle = await addProduct(api, asAdmin, { name: "Kettle", priceMinor: 3450, stock: 5, description: "Boils water" });
    const teapot = await addProduct(api, asAdmin, { name: "Teapot", priceMinor: 1990, stock: 2 });
    const draft = await addProduct(api, asAdmin, { name: "Samovar", priceMinor: 99_900, stock: 1, active: false });
    expect(kettle).toMatchObject({
      id: expect.stringMatching(uuid),
      currency: "EUR",
      stock: 5,
      active: true,
      images: [],
      categoryId: null,
    });

    // The shop's own domain, verified through DNS.
    const domain = `${uniqueSlug("acme")}.example.com`;
    const added = await expectStatus<Domain>(await api.post("/tenant/domains", { domain }, asAdmin), 201);
    dns.setTxt(added.verification.name, [added.verification.value]);
    expect((await expectStatus<Domain>(await api.post(`/tenant/domains/${added.id}/verify`, {}, asAdmin), 200)).verified).toBe(
      true,
    );
    /** A call on the shop's domain (as a proxy in front of the server passes it on), no X-Tenant. */
    const onShop = (token?: string) => ({ headers: { "x-forwarded-host": domain }, ...(token ? { token } : {}) });

    // A visitor, not signed in, browses the storefront.
    const listed = await expectStatus<StorefrontProductPage>(await api.get("/modules/shop/products", onShop()), 200);
    expect(listed).toEqual({ items: [forSale(teapot), forSale(kettle)], nextCursor: null });
    expect(await expectStatus(await api.get(`/modules/shop/products/${kettle.id}`, onShop()), 200)).toEqual(forSale(kettle));
    await expectApiError(await api.get(`/modules/shop/products/${draft.id}`, onShop()), 404, "PRODUCT_NOT_FOUND", "productId");
    expect(await expectStatus<Storefront>(await api.get("/modules/shop/storefront", onShop()), 200)).toEqual({
      title: "Acme Goods",
      currency: "EUR",
      theme: settings.theme,
    });
    const items = [
      { productId: kettle.id, quantity: 2 },
      { productId: teapot.id, quantity: 1 },
    ];
    await expectApiError(await api.post("/modules/shop/orders", { items }, onShop()), 401, "UNAUTHENTICATED");

    // The visitor has an account (a member of no tenant), signs in on the shop's domain and buys.
    const account = await register(server);
    const customer = await signIn(server.url, account, { "x-forwarded-host": domain });
    await expectApiError(await api.get("/tenant", onShop(customer.accessToken)), 403, "NOT_A_MEMBER");
    const order = await expectStatus<Order>(
      await api.post("/modules/shop/orders", { items, note: "Leave it at the door" }, onShop(customer.accessToken)),
      201,
    );
    expect(order).toEqual({
      id: expect.stringMatching(uuid),
      customerId: customer.user.id,
      status: "paid",
      totalMinor: 2 * 3450 + 1990,
      currency: "EUR",
      note: "Leave it at the door",
      items: [
        { productId: kettle.id, name: "Kettle", unitPriceMinor: 3450, quantity: 2 },
        { productId: teapot.id, name: "Teapot", unitPriceMinor: 1990, quantity: 1 },
      ],
      createdAt: expect.any(String),
      shippedAt: null,
      deliveredAt: null,
      cancelledAt: null,
    });
    expect(await expectStatus(await api.get("/modules/shop/customer/orders", onShop(customer.accessToken)), 200)).toEqual({
      items: [order],
      nextCursor: null,
    });
    // The shop's orders are its staff's business.
    await expectApiError(await api.get("/modules/shop/orders", onShop(customer.accessToken)), 403, "NOT_A_MEMBER");
    await expectApiError(
      await api.patch(`/modules/shop/orders/${order.id}`, { status: "shipped" }, onShop(customer.accessToken)),
      403,
      "NOT_A_MEMBER",
    );

    // The admin sees the order, the stock it took, and a notice of it (so does the owner).
    expect(await expectStatus<OrderPage>(await api.get("/modules/shop/orders", asAdmin), 200)).toEqual({
      items: [order],
      nextCursor: null,
    });
    expect(await expectStatus(await api.get(`/modules/shop/orders/${order.id}`, asAdmin), 200)).toEqual(order);
    expect(Object.fromEntries((await catalog(api, asAdmin)).map((p) => [p.name, p.stock]))).toEqual({
      Kettle: 3,
      Teapot: 1,
      Samovar: 1,
    });
    for (const as of [asAdmin, asOwner]) {
      const [latest] = (await notificationsOf(api, as)).items;
      expect(latest).toMatchObject({
        source: "shop",
        kind: "shop.order.placed",
        data: { orderId: order.id },
        read: false,
      });
      expect(latest!.title).toContain("88.90");
      expect(latest!.body).toContain("2 × Kettle");
      expect(latest!.body).toContain("1 × Teapot");
    }

    // paid → shipped → delivered; no skipping, no going back.
    const move = (status: string) => api.patch(`/modules/shop/orders/${order.id}`, { status }, asAdmin);
    await expectApiError(await move("delivered"), 409, "INVALID_STATUS_TRANSITION", "status");
    await expectApiError(await move("paid"), 400, "VALIDATION_FAILED", "status");
    const shipped = await expectStatus<Order>(await move("shipped"), 200);
    expect(shipped).toEqual({ ...order, status: "shipped", shippedAt: expect.any(String) });
    await expectApiError(await move("shipped"), 409, "INVALID_STATUS_TRANSITION", "status");
    await expectApiError(await move("cancelled"), 409, "INVALID_STATUS_TRANSITION", "status");
    const delivered = await expectStatus<Order>(await move("delivered"), 200);
    expect(delivered).toEqual({ ...shipped, status: "delivered", deliveredAt: expect.any(String) });
    await expectApiError(await move("cancelled"), 409, "INVALID_STATUS_TRANSITION", "status");

    expect(await expectStatus(await api.get("/modules/shop/customer/orders", onShop(customer.accessToken)), 200)).toEqual({
      items: [delivered],
      nextCursor: null,
    });
    expect((await expectStatus<OrderPage>(await api.get("/modules/shop/orders?status=delivered", asAdmin), 200)).items).toEqual([
      delivered,
    ]);
    expect((await expectStatus<OrderPage>(await api.get("/modules/shop/orders?status=paid", asAdmin), 200)).items).toEqual([]);
    // Delivering returns no stock.
    expect(Object.fromEntries((await catalog(api, asAdmin)).map((p) => [p.name, p.stock]))).toEqual({
      Kettle: 3,
      Teapot: 1,
      Samovar: 1,
    });
    // The domain named this tenant all along.
    expect(await expectStatus(await api.get("/tenant/public", onShop()), 200)).toMatchObject({ id: tenant.id });
  });

  it("through the SDK: the same journey with typed calls", async () => {
    const { tenant, asOwner, asAdmin } = await shopKeepers();
    const admin = createClient({ url: server.url, token: asAdmin.token, tenant: tenant.slug });

    expect(await admin.modules.list.query()).toEqual([
      expect.objectContaining({ id: "shop", allowedByPlan: true, enabled: false }),
    ]);
    expect(await admin.modules.enable.mutate({ moduleId: "shop" })).toMatchObject({ id: "shop", enabled: true });
    const settings = await admin.modules.shop.settings.update.mutate({ theme: { primaryColor: "#112233" } });
    expect(settings.theme).toEqual({ ...defaultShopSettings.theme, primaryColor: "#112233" });
    expect(await appCodeOf(admin.modules.shop.settings.update.mutate({ theme: { primaryColor: "navy" } }))).toBe(
      "VALIDATION_FAILED",
    );
    const lamp = await admin.modules.shop.catalog.products.create.mutate({ name: "Lamp", priceMinor: 4500, stock: 3 });
    const shade = await admin.modules.shop.catalog.products.create.mutate({ name: "Shade", priceMinor: 1500, stock: 1 });

    const domain = `${uniqueSlug("lamps")}.example.com`;
    const added = await admin.tenants.domains.add.mutate({ domain });
    dns.setTxt(added.verification.name, [added.verification.value]);
    expect((await admin.tenants.domains.verify.mutate({ domainId: added.id })).verified).toBe(true);

    // The customer's client talks to the shop's domain only: no tenant option, no X-Tenant.
    let customerToken: string | undefined;
    const customer = createClient({
      url: server.url,
      token: () => customerToken,
      headers: { "x-forwarded-host": domain, "x-forwarded-for": freshClientAddress() },
    });
    const email = uniqueEmail("customer");
    const registered = await customer.auth.email.register.mutate({ email, password: testPassword });

    // Anonymous: the products and the theme.
    const listed = await customer.modules.shop.products.list.query({});
    expect(listed).toEqual({ items: [forSale(shade), forSale(lamp)], nextCursor: null });
    expect(await customer.modules.shop.storefront.get.query()).toEqual({ title: "Shop", currency: "EUR", theme: settings.theme });
    expect(await appCodeOf(customer.modules.shop.orders.place.mutate({ items: [{ productId: lamp.id, quantity: 1 }] }))).toBe(
      "UNAUTHENTICATED",
    );

    // Signed in, not a member, the customer buys.
    customerToken = (await customer.auth.email.signIn.mutate({ email, password: testPassword })).accessToken;
    expect(await appCodeOf(customer.tenants.get.query())).toBe("NOT_A_MEMBER");
    const order = await customer.modules.shop.orders.place.mutate({
      items: [
        { productId: shade.id, quantity: 1 },
        { productId: lamp.id, quantity: 1 },
      ],
    });
    expect(order).toMatchObject({ customerId: registered.user.id, status: "paid", totalMinor: 6000, currency: "EUR", note: "" });
    expect(await customer.modules.shop.products.get.query({ productId: shade.id })).toMatchObject({ inStock: false });
    expect(await appCodeOf(customer.modules.shop.orders.place.mutate({ items: [{ productId: shade.id, quantity: 1 }] }))).toBe(
      "OUT_OF_STOCK",
    );
    expect(await appCodeOf(customer.modules.shop.orders.list.query({}))).toBe("NOT_A_MEMBER");

    // The admin sees the order and its notice, and moves it on.
    expect((await admin.modules.shop.orders.list.query({})).items).toEqual([order]);
    const notices = await admin.notifications.list.query({ unreadOnly: true });
    expect(notices.items[0]).toMatchObject({ source: "shop", kind: "shop.order.placed", data: { orderId: order.id } });
    expect(await admin.notifications.markRead.mutate({ ids: [notices.items[0]!.id] })).toEqual({ marked: 1 });
    expect(await appCodeOf(admin.modules.shop.orders.updateStatus.mutate({ orderId: order.id, status: "delivered" }))).toBe(
      "INVALID_STATUS_TRANSITION",
    );
    expect(await admin.modules.shop.orders.updateStatus.mutate({ orderId: order.id, status: "shipped" })).toMatchObject({
      status: "shipped",
      shippedAt: expect.any(String),
      deliveredAt: null,
    });
    const delivered = await admin.modules.shop.orders.updateStatus.mutate({ orderId: order.id, status: "delivered" });
    expect(delivered).toMatchObject({ status: "delivered", shippedAt: expect.any(String), deliveredAt: expect.any(String) });
    expect(await customer.modules.shop.orders.mine.query({})).toEqual({ items: [delivered], nextCursor: null });
    expect((await admin.modules.shop.catalog.products.list.query({})).items.map((p) => [p.name, p.stock])).toEqual([
      ["Shade", 0],
      ["Lamp", 2],
    ]);
    // The owner got the order notice too (still unread; the admin's was their own).
    const ownersNotices = await expectStatus<NotificationPage>(
      await api.get("/tenant/notifications?unreadOnly=true", asOwner),
      200,
    );
    expect(ownersNotices.items.map((n) => n.kind)).toEqual(["shop.order.placed", "module.enabled"]);
  });

  it("documents every shop procedure under /modules/shop/ with the shop tag: storefront reads open to anyone (a token optional), the rest with a bearer token", async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      tags?: Array<{ name: string }>;
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown }>>;
    };
    const bearer = [{ Authorization: [] }];
    const open = [{}, { Authorization: [] }];
    const expected: Record<string, { tags: string[]; security: unknown }> = {
      "GET /modules/shop/storefront": { tags: ["shop"], security: open },
      "GET /modules/shop/products": { tags: ["shop"], security: open },
      "GET /modules/shop/products/{productId}": { tags: ["shop"], security: open },
      "GET /modules/shop/categories": { tags: ["shop"], security: open },
      "GET /modules/shop/catalog/products": { tags: ["shop"], security: bearer },
      "POST /modules/shop/catalog/products": { tags: ["shop"], security: bearer },
      "PATCH /modules/shop/catalog/products/{productId}": { tags: ["shop"], security: bearer },
      "DELETE /modules/shop/catalog/products/{productId}": { tags: ["shop"], security: bearer },
      "POST /modules/shop/catalog/categories": { tags: ["shop"], security: bearer },
      "PATCH /modules/shop/catalog/categories/{categoryId}": { tags: ["shop"], security: bearer },
      "DELETE /modules/shop/catalog/categories/{categoryId}": { tags: ["shop"], security: bearer },
      "POST /modules/shop/orders": { tags: ["shop"], security: bearer },
      "GET /modules/shop/customer/orders": { tags: ["shop"], security: bearer },
      "GET /modules/shop/orders": { tags: ["shop"], security: bearer },
      "GET /modules/shop/orders/{orderId}": { tags: ["shop"], security: bearer },
      "PATCH /modules/shop/orders/{orderId}": { tags: ["shop"], security: bearer },
      "GET /modules/shop/settings": { tags: ["shop"], security: bearer },
      "PATCH /modules/shop/settings": { tags: ["shop"], security: bearer },
    };

    const documented: Record<string, { tags: string[] | undefined; security: unknown }> = {};
    const taggedShopElsewhere: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (path.startsWith("/modules/shop/")) documented[key] = { tags: operation.tags, security: operation.security };
        else if (operation.tags?.includes("shop")) taggedShopElsewhere.push(key);
      }
    }
    expect(documented).toEqual(expected);
    expect(taggedShopElsewhere).toEqual([]);
    expect(document.tags?.map((t) => t.name)).toContain("shop");

    // Every shop procedure the router serves is among them (a new one cannot go undocumented).
    const served = listProcedures(appRouter)
      .filter(({ path }) => path.startsWith("modules.shop."))
      .map(({ path, meta }) => {
        const openapi = meta?.openapi;
        return openapi ? `${openapi.method} ${openapi.path}` : `${path} (no REST route)`;
      });
    expect(served.sort()).toEqual(Object.keys(expected).sort());

    // The lifecycle and notifications beside them: signed in, under their own tags.
    for (const [key, tag] of [
      ["GET /tenant/modules", "modules"],
      ["POST /tenant/modules/{moduleId}/enable", "modules"],
      ["POST /tenant/modules/{moduleId}/disable", "modules"],
      ["GET /tenant/notifications", "notifications"],
      ["POST /tenant/notifications/read", "notifications"],
      ["POST /tenant/notifications/read-all", "notifications"],
    ] as const) {
      const [method, path] = key.split(" ") as [string, string];
      expect({ key, operation: document.paths[path]?.[method.toLowerCase()] }).toMatchObject({
        key,
        operation: { tags: [tag], security: bearer },
      });
    }
  });
});
