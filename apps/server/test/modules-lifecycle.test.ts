import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addProduct,
  catalog,
  changePlan,
  defaultShopSettings,
  disableShop,
  enableShop,
  enableShopOk,
  notificationsOf,
  unreadOf,
  ownTenant,
  shopEntry,
  shopTenant,
  type ShopSettings,
  type TenantModule,
} from "./support/shop.ts";
import {
  createTenant,
  expectApiError,
  expectStatus,
  register,
  registerMember,
  tenantClient,
  tenantEnv,
  type Subscription,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

describe.each(testBackends())("module lifecycle over HTTP on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("listing, plans and enabling", () => {
    it("lists the shop as not allowed on free and allowed on pro, disabled until enabled", async () => {
      const { as } = await ownTenant(server, api);
      const onFree = await expectStatus<TenantModule[]>(await api.get("/tenant/modules", as), 200);
      expect(onFree).toEqual([
        {
          id: "shop",
          name: "Shop",
          description: expect.stringContaining("storefront"),
          version: "1.0.0",
          dependencies: {},
          allowedByPlan: false,
          enabled: false,
          enabledAt: null,
        },
      ]);
      await changePlan(api, as, "pro");
      expect(await shopEntry(api, as)).toEqual({ ...onFree[0], allowedByPlan: true });
      await changePlan(api, as, "business");
      expect((await shopEntry(api, as)).allowedByPlan).toBe(true);
    });

    it("refuses enabling on free (403 MODULE_NOT_IN_PLAN) and enables after the upgrade to pro", async () => {
      const { as } = await ownTenant(server, api);
      const refused = await expectApiError(await enableShop(api, as), 403, "MODULE_NOT_IN_PLAN");
      expect(refused.message).toContain("Free");
      // Asking with settings is refused the same way and stores nothing.
      await expectApiError(await enableShop(api, as, { storefrontTitle: "Early" }), 403, "MODULE_NOT_IN_PLAN");
      expect(await shopEntry(api, as)).toMatchObject({ allowedByPlan: false, enabled: false, enabledAt: null });
      // The module's own procedures say why to the tenant's admins; visitors learn nothing of the plan.
      const visitor = await expectApiError(
        await api.get("/modules/shop/products", { tenant: as.tenant }),
        403,
        "MODULE_NOT_ENABLED",
      );
      expect(visitor.message).not.toMatch(/free|plan/i);
      await expectApiError(await api.get("/modules/shop/settings", as), 403, "MODULE_NOT_IN_PLAN");

      await changePlan(api, as, "pro");
      const enabled = await expectStatus<TenantModule>(await enableShop(api, as), 200);
      expect(enabled).toEqual({
        id: "shop",
        name: "Shop",
        description: expect.any(String),
        version: "1.0.0",
        dependencies: {},
        allowedByPlan: true,
        enabled: true,
        enabledAt: expect.any(String),
      });
      expect(Number.isNaN(Date.parse(enabled.enabledAt!))).toBe(false);
      expect(await shopEntry(api, as)).toEqual(enabled);
      expect(await expectStatus(await api.get("/modules/shop/settings", as), 200)).toEqual(defaultShopSettings);
      expect(await expectStatus(await api.get("/modules/shop/products", { tenant: as.tenant }), 200)).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it("treats enabling an enabled module as a no-op (200, same entry, no new notice); with settings it is 409 MODULE_ALREADY_ENABLED", async () => {
      const { as } = await shopTenant(server, api);
      const before = await shopEntry(api, as);
      const notices = await notificationsOf(api, as);
      expect(notices.items.map((n) => n.kind)).toEqual(["module.enabled"]);

      expect(await expectStatus(await enableShop(api, as), 200)).toEqual(before);
      expect(await shopEntry(api, as)).toEqual(before);
      expect(await notificationsOf(api, as)).toEqual(notices);

      const conflict = await expectApiError(
        await enableShop(api, as, { storefrontTitle: "Changed" }),
        409,
        "MODULE_ALREADY_ENABLED",
      );
      expect(conflict.message).toContain("/api/v1/modules/shop/settings");
      expect(await expectStatus<ShopSettings>(await api.get("/modules/shop/settings", as), 200)).toEqual(defaultShopSettings);
    });

    it("stores the settings sent with enable, over the defaults", async () => {
      const { as } = await ownTenant(server, api, "pro");
      await enableShopOk(api, as, { storefrontTitle: "Ada's Goods", currency: "CHF", theme: { primaryColor: "#112233" } });
      const expected: ShopSettings = {
        currency: "CHF",
        storefrontTitle: "Ada's Goods",
        theme: { ...defaultShopSettings.theme, primaryColor: "#112233" },
      };
      expect(await expectStatus(await api.get("/modules/shop/settings", as), 200)).toEqual(expected);
      expect(await expectStatus(await api.get("/modules/shop/storefront", { tenant: as.tenant }), 200)).toEqual({
        title: "Ada's Goods",
        currency: "CHF",
        theme: expected.theme,
      });
      // New products are priced in the shop's currency.
      expect((await addProduct(api, as, { name: "Cheese", priceMinor: 1200 })).currency).toBe("CHF");
    });

    it.each([
      // Named as in the enable call's input, where the settings are the `settings` field.
      ["a colour that is not #rrggbb", { theme: { primaryColor: "red" } }, "settings.theme.primaryColor"],
      ["a lower-case currency", { currency: "eur" }, "settings.currency"],
      ["a blank title", { storefrontTitle: "   " }, "settings.storefrontTitle"],
      ["a title of the wrong type", { storefrontTitle: 42 }, "settings.storefrontTitle"],
      ["a theme that is not an object", { theme: "dark" }, "settings.theme"],
    ])("refuses enabling with %s: 400 VALIDATION_FAILED naming the field, nothing enabled", async (_case, settings, field) => {
      const { as } = await ownTenant(server, api, "pro");
      await expectApiError(await enableShop(api, as, settings), 400, "VALIDATION_FAILED", field);
      expect(await shopEntry(api, as)).toMatchObject({ enabled: false, enabledAt: null });
      expect((await notificationsOf(api, as)).items).toEqual([]);
      // The valid settings still enable it afterwards, starting from the defaults.
      await enableShopOk(api, as);
      expect(await expectStatus(await api.get("/modules/shop/settings", as), 200)).toEqual(defaultShopSettings);
    });

    // Enable once checked its settings with the module's own (non-strict) schema, dropping typos.
    it("refuses misspelt settings keys on enable, as PATCH /settings does (400 VALIDATION_FAILED)", async () => {
      const { as } = await ownTenant(server, api, "pro");
      await enableShopOk(api, as);
      await expectApiError(
        await api.patch("/modules/shop/settings", { theme: { primaryColour: "#112233" } }, as),
        400,
        "VALIDATION_FAILED",
        "theme",
      );
      await expectStatus(await disableShop(api, as), 200);

      const typo = await enableShop(api, as, { theme: { primaryColour: "#112233" } });
      const outcome = { status: typo.status, appCode: ((await typo.json()) as { data?: { appCode?: string } }).data?.appCode };
      expect(outcome).toEqual({ status: 400, appCode: "VALIDATION_FAILED" });
      expect((await shopEntry(api, as)).enabled).toBe(false);
    });

    it("refuses `settings` that is not an object (400, field settings)", async () => {
      const { as } = await ownTenant(server, api, "pro");
      for (const settings of ["theme=dark", 7, ["#112233"], null]) {
        await expectApiError(
          await api.post("/tenant/modules/shop/enable", { settings }, as),
          400,
          "VALIDATION_FAILED",
          "settings",
        );
      }
      expect((await shopEntry(api, as)).enabled).toBe(false);
    });

    it("answers 404 MODULE_NOT_FOUND for an unknown module and 400 (field moduleId) for a malformed id", async () => {
      const { as } = await ownTenant(server, api, "pro");
      for (const action of ["enable", "disable"]) {
        await expectApiError(await api.post(`/tenant/modules/blog/${action}`, {}, as), 404, "MODULE_NOT_FOUND");
        await expectApiError(await api.post(`/tenant/modules/shop-extra/${action}`, {}, as), 404, "MODULE_NOT_FOUND");
        for (const id of ["Shop!", "SHOP", "shop_x", "-shop", "shop-", "1shop", `s${"x".repeat(40)}`]) {
          await expectApiError(
            await api.post(`/tenant/modules/${encodeURIComponent(id)}/${action}`, {}, as),
            400,
            "VALIDATION_FAILED",
            "moduleId",
          );
        }
      }
      expect((await shopEntry(api, as)).enabled).toBe(false);
    });
  });

  describe("who may switch modules", () => {
    it("lets owners and admins enable and disable; a plain member can list but gets 403 PERMISSION_DENIED", async () => {
      const { owner, tenant, as } = await ownTenant(server, api, "pro");
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const member = await registerMember(server, owner.accessToken, tenant.slug, "member");
      const asAdmin = { token: admin.accessToken, tenant: tenant.slug };
      const asMember = { token: member.accessToken, tenant: tenant.slug };

      expect(await shopEntry(api, asMember)).toEqual(await shopEntry(api, as));
      await expectApiError(await enableShop(api, asMember), 403, "PERMISSION_DENIED");
      await expectApiError(await enableShop(api, asMember, { storefrontTitle: "Mine" }), 403, "PERMISSION_DENIED");
      expect((await shopEntry(api, as)).enabled).toBe(false);

      await enableShopOk(api, asAdmin);
      await expectApiError(await disableShop(api, asMember), 403, "PERMISSION_DENIED");
      expect((await shopEntry(api, asMember)).enabled).toBe(true);
      // The settings are the admins' too.
      await expectApiError(await api.get("/modules/shop/settings", asMember), 403, "TENANT_ADMIN_ONLY");
      await expectApiError(
        await api.patch("/modules/shop/settings", { storefrontTitle: "Mine" }, asMember),
        403,
        "TENANT_ADMIN_ONLY",
      );

      expect(await expectStatus<TenantModule>(await disableShop(api, asAdmin), 200)).toMatchObject({
        enabled: false,
        enabledAt: null,
      });
    });

    it("needs sign-in and membership: 401 UNAUTHENTICATED without a token, 403 NOT_A_MEMBER for strangers", async () => {
      const { tenant, as } = await ownTenant(server, api, "pro");
      const stranger = await register(server);
      const asStranger = { token: stranger.accessToken, tenant: tenant.slug };
      await expectApiError(await api.get("/tenant/modules", { tenant: tenant.slug }), 401, "UNAUTHENTICATED");
      await expectApiError(await api.post("/tenant/modules/shop/enable", {}, { tenant: tenant.slug }), 401, "UNAUTHENTICATED");
      await expectApiError(await api.get("/tenant/modules", asStranger), 403, "NOT_A_MEMBER");
      await expectApiError(await enableShop(api, asStranger), 403, "NOT_A_MEMBER");
      await expectApiError(await disableShop(api, asStranger), 403, "NOT_A_MEMBER");
      await expectApiError(await api.get("/tenant/modules", { token: as.token }), 400, "TENANT_REQUIRED");
      expect((await shopEntry(api, as)).enabled).toBe(false);
    });

    it("keeps each tenant's modules apart", async () => {
      const a = await shopTenant(server, api);
      const b = await ownTenant(server, api, "pro");
      expect((await shopEntry(api, b.as)).enabled).toBe(false);
      // The same owner in a second tenant of their own.
      const second = await createTenant(server, a.owner.accessToken);
      const asSecond = { token: a.owner.accessToken, tenant: second.slug };
      expect(await shopEntry(api, asSecond)).toMatchObject({ allowedByPlan: false, enabled: false });
      await expectApiError(await api.get("/modules/shop/products", { tenant: b.as.tenant }), 403, "MODULE_NOT_ENABLED");
      expect((await shopEntry(api, a.as)).enabled).toBe(true);
    });
  });

  describe("disabling", () => {
    it("keeps products and settings; while disabled every shop procedure answers 403 MODULE_NOT_ENABLED", async () => {
      const { as, tenant } = await shopTenant(server, api);
      const customer = await register(server);
      const asCustomer = { token: customer.accessToken, tenant: tenant.slug };
      const mug = await addProduct(api, as, { name: "Mug", priceMinor: 900, stock: 4 });
      const hidden = await addProduct(api, as, { name: "Prototype", priceMinor: 100, active: false });
      const settings = await expectStatus<ShopSettings>(
        await api.patch("/modules/shop/settings", { storefrontTitle: "Mugs & Co", theme: { accentColor: "#abcdef" } }, as),
        200,
      );
      const before = await catalog(api, as);
      expect(before.map((p) => p.id).sort()).toEqual([mug.id, hidden.id].sort());

      const disabled = await expectStatus<TenantModule>(await disableShop(api, as), 200);
      expect(disabled).toMatchObject({ id: "shop", allowedByPlan: true, enabled: false, enabledAt: null });
      expect(await shopEntry(api, as)).toEqual(disabled);
      // Disabling again changes nothing.
      expect(await expectStatus(await disableShop(api, as), 200)).toEqual(disabled);

      const anonymous = { tenant: tenant.slug };
      const refusals = [
        api.get("/modules/shop/storefront", anonymous),
        api.get("/modules/shop/products", anonymous),
        api.get(`/modules/shop/products/${mug.id}`, anonymous),
        api.get("/modules/shop/categories", anonymous),
        api.post("/modules/shop/orders", { items: [{ productId: mug.id, quantity: 1 }] }, asCustomer),
        api.get("/modules/shop/customer/orders", asCustomer),
        api.get("/modules/shop/orders", as),
        api.get("/modules/shop/catalog/products", as),
        api.post("/modules/shop/catalog/products", { name: "While off", priceMinor: 1 }, as),
        api.patch(`/modules/shop/catalog/products/${mug.id}`, { stock: 0 }, as),
        api.post("/modules/shop/catalog/categories", { name: "Cups", slug: "cups" }, as),
        api.get("/modules/shop/settings", as),
        api.patch("/modules/shop/settings", { storefrontTitle: "While off" }, as),
      ];
      for (const res of await Promise.all(refusals)) await expectApiError(res, 403, "MODULE_NOT_ENABLED");

      await enableShopOk(api, as);
      expect(await catalog(api, as)).toEqual(before);
      expect(await expectStatus(await api.get("/modules/shop/settings", as), 200)).toEqual(settings);
      const storefront = await expectStatus<{ items: Array<{ id: string }> }>(
        await api.get("/modules/shop/products", anonymous),
        200,
      );
      expect(storefront.items.map((p) => p.id)).toEqual([mug.id]);
    });

    it("treats disabling a module that is not enabled as a no-op, without a notice", async () => {
      const { as } = await ownTenant(server, api, "pro");
      expect(await expectStatus(await disableShop(api, as), 200)).toMatchObject({ id: "shop", enabled: false, enabledAt: null });
      expect((await notificationsOf(api, as)).items).toEqual([]);
    });

    it("refuses a downgrade to free while the shop is enabled (409 PLAN_DOES_NOT_FIT naming it); after disabling it goes through", async () => {
      const { as } = await shopTenant(server, api);
      const refused = await expectApiError(
        await api.patch("/tenant/subscription", { planCode: "free" }, as),
        409,
        "PLAN_DOES_NOT_FIT",
      );
      expect(refused.message).toContain("Free");
      expect(refused.message).toContain("module shop is enabled");
      expect(refused.message).toContain("disable it");
      expect((await expectStatus<Subscription>(await api.get("/tenant/subscription", as), 200)).plan.code).toBe("pro");
      expect((await shopEntry(api, as)).enabled).toBe(true);

      // Another plan that includes the shop is fine.
      await changePlan(api, as, "business");
      await expectApiError(await api.patch("/tenant/subscription", { planCode: "free" }, as), 409, "PLAN_DOES_NOT_FIT");

      await expectStatus(await disableShop(api, as), 200);
      await changePlan(api, as, "free");
      expect(await shopEntry(api, as)).toMatchObject({ allowedByPlan: false, enabled: false });
      await expectApiError(await enableShop(api, as), 403, "MODULE_NOT_IN_PLAN");
    });
  });

  describe("notifications", () => {
    it("tells owners and admins (source core) when a module is enabled or disabled, never plain members", async () => {
      const { owner, tenant, as } = await ownTenant(server, api, "pro");
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const member = await registerMember(server, owner.accessToken, tenant.slug, "member");
      const asAdmin = { token: admin.accessToken, tenant: tenant.slug };
      const asMember = { token: member.accessToken, tenant: tenant.slug };

      await enableShopOk(api, as);
      await expectStatus(await disableShop(api, asAdmin), 200);

      const expected = [
        {
          id: expect.any(String),
          source: "core",
          kind: "module.disabled",
          title: "Shop was disabled",
          body: expect.stringContaining("kept"),
          data: { moduleId: "shop", by: admin.user.id },
          read: false,
          createdAt: expect.any(String),
        },
        {
          id: expect.any(String),
          source: "core",
          kind: "module.enabled",
          title: "Shop was enabled",
          body: "",
          data: { moduleId: "shop", by: owner.user.id },
          read: false,
          createdAt: expect.any(String),
        },
      ];
      const ownersPage = await notificationsOf(api, as);
      const adminsPage = await notificationsOf(api, asAdmin);
      expect(ownersPage).toEqual({ items: expected, nextCursor: null });
      expect(adminsPage).toEqual({ items: expected, nextCursor: null });
      expect([await unreadOf(api, as), await unreadOf(api, asAdmin)]).toEqual([2, 2]);
      // One row per recipient: each reads their own.
      const ownersIds = ownersPage.items.map((n) => n.id);
      expect(adminsPage.items.filter((n) => ownersIds.includes(n.id))).toEqual([]);
      expect(await notificationsOf(api, asMember)).toEqual({ items: [], nextCursor: null });
      expect(await unreadOf(api, asMember)).toBe(0);
    });

    it("belong to the tenant they were made in, and are for members only", async () => {
      const { owner, tenant, as } = await shopTenant(server, api);
      const other = await createTenant(server, owner.accessToken);
      const inOther = { token: owner.accessToken, tenant: other.slug };
      expect(await notificationsOf(api, inOther)).toEqual({ items: [], nextCursor: null });
      expect(await unreadOf(api, inOther)).toBe(0);
      expect(await unreadOf(api, as)).toBe(1);

      const stranger = await register(server);
      await expectApiError(
        await api.get("/tenant/notifications", { token: stranger.accessToken, tenant: tenant.slug }),
        403,
        "NOT_A_MEMBER",
      );
      await expectApiError(await api.get("/tenant/notifications", { tenant: tenant.slug }), 401, "UNAUTHENTICATED");
      await expectApiError(
        await api.get("/tenant/notifications/unread-count", { token: stranger.accessToken, tenant: tenant.slug }),
        403,
        "NOT_A_MEMBER",
      );
    });

    it("lists newest first, in cursor pages; the unread count is asked for apart", async () => {
      const { as } = await ownTenant(server, api, "pro");
      for (let i = 0; i < 2; i += 1) {
        await enableShopOk(api, as);
        await expectStatus(await disableShop(api, as), 200);
      }
      await enableShopOk(api, as);

      const all = await notificationsOf(api, as);
      expect(all.items.map((n) => n.kind)).toEqual([
        "module.enabled",
        "module.disabled",
        "module.enabled",
        "module.disabled",
        "module.enabled",
      ]);
      expect(all).toMatchObject({ nextCursor: null });
      expect(await unreadOf(api, as)).toBe(5);
      const times = all.items.map((n) => Date.parse(n.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const pages = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const page = await notificationsOf(api, as, query);
        expect(page.items.length).toBeLessThanOrEqual(2);
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor !== null && pages.length < 10);
      expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
      expect(pages.flatMap((p) => p.items)).toEqual(all.items);
    });

    it("refuses a bad cursor (400 INVALID_CURSOR) and an out-of-range limit (400, field limit)", async () => {
      const { as } = await shopTenant(server, api);
      for (const cursor of [
        "not-a-cursor",
        Buffer.from(`yesterday|${randomUUID()}`).toString("base64url"),
        Buffer.from("2024-01-01T00:00:00.000Z|nope").toString("base64url"),
      ]) {
        await expectApiError(
          await api.get(`/tenant/notifications?cursor=${encodeURIComponent(cursor)}`, as),
          400,
          "INVALID_CURSOR",
          "cursor",
        );
      }
      for (const limit of ["0", "101", "-1", "1.5", "lots"]) {
        await expectApiError(await api.get(`/tenant/notifications?limit=${limit}`, as), 400, "VALIDATION_FAILED", "limit");
      }
    });

    it("filters with unreadOnly=true or false as a query string; any other value is 400 (field unreadOnly)", async () => {
      const { as } = await ownTenant(server, api, "pro");
      await enableShopOk(api, as);
      await expectStatus(await disableShop(api, as), 200);
      const [disabledNote, enabledNote] = (await notificationsOf(api, as)).items;
      expect(await expectStatus(await api.post("/tenant/notifications/read", { ids: [enabledNote!.id] }, as), 200)).toEqual({
        marked: 1,
      });

      const unreadOnly = await notificationsOf(api, as, "?unreadOnly=true");
      expect(unreadOnly).toEqual({ items: [disabledNote], nextCursor: null });
      expect(await unreadOf(api, as)).toBe(1);
      const everything = await notificationsOf(api, as, "?unreadOnly=false");
      expect(everything).toEqual({ items: [disabledNote, { ...enabledNote, read: true }], nextCursor: null });
      expect(await notificationsOf(api, as)).toEqual(everything);

      for (const value of ["maybe", "1", "0", "yes", "TRUE", "true&unreadOnly=false"]) {
        await expectApiError(
          await api.get(`/tenant/notifications?unreadOnly=${value}`, as),
          400,
          "VALIDATION_FAILED",
          "unreadOnly",
        );
      }
    });

    it("markRead marks the caller's own notifications only: another user's id marks nothing and leaves theirs unread", async () => {
      const { owner, tenant, as } = await ownTenant(server, api, "pro");
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const asAdmin = { token: admin.accessToken, tenant: tenant.slug };
      await enableShopOk(api, as);
      const [ownersNote] = (await notificationsOf(api, as)).items;
      const [adminsNote] = (await notificationsOf(api, asAdmin)).items;

      const read = (ids: string[], who: { token: string; tenant: string }) =>
        api.post("/tenant/notifications/read", { ids }, who);
      expect(await expectStatus(await read([ownersNote!.id], asAdmin), 200)).toEqual({ marked: 0 });
      expect(await expectStatus(await read([randomUUID()], asAdmin), 200)).toEqual({ marked: 0 });
      expect(await notificationsOf(api, as)).toMatchObject({ items: [{ id: ownersNote!.id, read: false }] });
      expect(await unreadOf(api, as)).toBe(1);

      // The owner's id beside the admin's own: only the admin's is marked.
      expect(await expectStatus(await read([ownersNote!.id, adminsNote!.id], asAdmin), 200)).toEqual({ marked: 1 });
      expect(await notificationsOf(api, asAdmin)).toMatchObject({ items: [{ id: adminsNote!.id, read: true }] });
      expect(await notificationsOf(api, as)).toMatchObject({ items: [{ id: ownersNote!.id, read: false }] });
      expect([await unreadOf(api, asAdmin), await unreadOf(api, as)]).toEqual([0, 1]);
      // Marking a read one again marks nothing.
      expect(await expectStatus(await read([adminsNote!.id], asAdmin), 200)).toEqual({ marked: 0 });

      // The owner's own id, sent in another tenant of theirs, marks nothing there either.
      const other = await createTenant(server, owner.accessToken);
      expect(await expectStatus(await read([ownersNote!.id], { token: owner.accessToken, tenant: other.slug }), 200)).toEqual({
        marked: 0,
      });
      expect(await unreadOf(api, as)).toBe(1);
    });

    it("markRead refuses an empty, over-long or malformed id list (400, field ids)", async () => {
      const { as } = await shopTenant(server, api);
      for (const body of [{}, { ids: [] }, { ids: Array.from({ length: 101 }, () => randomUUID()) }, { ids: "all" }]) {
        await expectApiError(await api.post("/tenant/notifications/read", body, as), 400, "VALIDATION_FAILED", "ids");
      }
      await expectApiError(
        await api.post("/tenant/notifications/read", { ids: ["not-a-uuid"] }, as),
        400,
        "VALIDATION_FAILED",
        "ids.0",
      );
      expect(await unreadOf(api, as)).toBe(1);
    });

    it("markAllRead marks every unread notification of the caller, and no one else's", async () => {
      const { owner, tenant, as } = await ownTenant(server, api, "pro");
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const asAdmin = { token: admin.accessToken, tenant: tenant.slug };
      await enableShopOk(api, as);
      await expectStatus(await disableShop(api, as), 200);
      await enableShopOk(api, as);
      const [newest] = (await notificationsOf(api, as)).items;
      await expectStatus(await api.post("/tenant/notifications/read", { ids: [newest!.id] }, as), 200);

      expect(await expectStatus(await api.post("/tenant/notifications/read-all", {}, as), 200)).toEqual({ marked: 2 });
      const owners = await notificationsOf(api, as);
      expect(await unreadOf(api, as)).toBe(0);
      expect(owners.items.map((n) => n.read)).toEqual([true, true, true]);
      expect(await notificationsOf(api, as, "?unreadOnly=true")).toEqual({ items: [], nextCursor: null });
      expect(await expectStatus(await api.post("/tenant/notifications/read-all", {}, as), 200)).toEqual({ marked: 0 });

      const admins = await notificationsOf(api, asAdmin);
      expect(await unreadOf(api, asAdmin)).toBe(3);
      expect(admins.items.every((n) => !n.read)).toBe(true);
    });

    it("counts unread up to 1000 and says when there are more, without counting them all", async () => {
      const { owner, tenant, as } = await ownTenant(server, api, "pro");
      const insertUnread = (n: number) =>
        server.db.withOwner(
          (db) => db.$executeRaw`
          insert into notifications (id, tenant_id, user_id, source, kind, title, data)
          select gen_random_uuid(), ${tenant.id}::uuid, ${owner.user.id}::uuid, 'core', 'module.enabled', 'Bulk ' || i,
                 jsonb_build_object('moduleId', 'shop', 'by', ${owner.user.id}::text)
            from generate_series(1, ${n}) i`,
        );
      await insertUnread(1000);
      const count = async () => expectStatus(await api.get("/tenant/notifications/unread-count", as), 200);
      expect(await count()).toEqual({ unread: 1000, capped: false });
      await insertUnread(1);
      expect(await count()).toEqual({ unread: 1000, capped: true });
      expect(await expectStatus(await api.post("/tenant/notifications/read-all", {}, as), 200)).toEqual({ marked: 1001 });
      expect(await unreadOf(api, as)).toBe(0);
    });

    it("serves only the kinds this build declares (a removed module's notifications stay out)", async () => {
      const { owner, tenant, as } = await ownTenant(server, api, "pro");
      await server.db.withOwner(
        (db) => db.$executeRaw`
          insert into notifications (id, tenant_id, user_id, source, kind, title, data)
          values (gen_random_uuid(), ${tenant.id}::uuid, ${owner.user.id}::uuid, 'retired', 'retired.thing', 'Gone', '{"shape": 1}')`,
      );
      expect(await unreadOf(api, as)).toBe(0);
      expect((await notificationsOf(api, as)).items).toEqual([]);
    });
  });
});
