import { purgeExpiredRecords } from "@tenantry/api";
import { withTenantScope } from "@tenantry/db";
import type { RouterOutputs } from "@tenantry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAsAdmin, strongPassword } from "./support/accounts.ts";
import { addProduct, shopTenant, type Order, type OwnedTenant } from "./support/shop.ts";
import type { SignedUp } from "./support/sign-up.ts";
import {
  expectApiError,
  expectStatus,
  registerMember,
  seedAdminPassword,
  tenantClient,
  tenantEnv,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

type AuditPage = RouterOutputs["audit"]["list"];

const userAgent = "audit-test/1.0 (tenantry)";

/**
 * The audit trail over HTTP: changes are recorded with who, what, where from; a tenant's owners
 * and admins read their own tenant's, platform admins everything; refused sign-ins are recorded;
 * nothing is recorded for a change that did not happen; old events go with the purge.
 */
describe.each(testBackends())("audit log on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;
  let admin: string;
  let shop: OwnedTenant;
  let other: OwnedTenant;
  let member: SignedUp;

  const as = (token: string, tenant = shop.tenant.slug) => ({ token, tenant, headers: { "user-agent": userAgent } });
  const tenantEvents = async (query = "", token = shop.owner.accessToken) =>
    expectStatus<AuditPage>(await api.get(`/tenant/audit-events${query}`, as(token)), 200);
  const allEvents = async (query = "") =>
    expectStatus<AuditPage>(await api.get(`/admin/audit-events${query}`, { token: admin }), 200);

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    api = tenantClient(server);
    admin = (await signInAsAdmin(server, seedAdminPassword)).accessToken;
    shop = await shopTenant(server, api);
    other = await shopTenant(server, api);
    member = await registerMember(server, shop.owner.accessToken, shop.tenant.slug, "member");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("records a role change with who, what, on what, from where, and shows it to the tenant's owner", async () => {
    await expectStatus(await api.patch(`/tenant/members/${member.user.id}`, { role: "admin" }, as(shop.owner.accessToken)), 200);
    const [event] = (await tenantEvents("?action=member.role_changed")).items;
    expect(event).toEqual({
      id: expect.any(String),
      tenantId: shop.tenant.id,
      actorType: "user",
      actorId: shop.owner.user.id,
      action: "member.role_changed",
      targetType: "user",
      targetId: member.user.id,
      ip: expect.any(String),
      userAgent,
      details: { from: "member", to: "admin" },
      createdAt: expect.any(String),
    });
    // What came before: the tenant made, its plan changed, the shop switched on, the member invited and joined.
    const actions = (await tenantEvents()).items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "member.role_changed",
        "member.joined",
        "invitation.created",
        "module.enabled",
        "subscription.changed",
        "tenant.created",
      ]),
    );
    const [invited] = (await tenantEvents("?action=invitation.created")).items;
    expect(invited?.details).toEqual({
      role: "member",
      to: `${member.email[0]}•••${member.email.slice(member.email.indexOf("@"))}`,
    });
    // Now an admin, the member reads the trail as well.
    await expectStatus(await api.get("/tenant/audit-events", as(member.accessToken)), 200);
    await expectStatus(await api.patch(`/tenant/members/${member.user.id}`, { role: "member" }, as(shop.owner.accessToken)), 200);
  });

  it("refuses plain members, and never shows one tenant's events to another", async () => {
    await expectApiError(await api.get("/tenant/audit-events", as(member.accessToken)), 403, "TENANT_ADMIN_ONLY");
    const mine = (await tenantEvents("?limit=100")).items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.tenantId === shop.tenant.id)).toBe(true);
    const theirs = (await expectStatus<AuditPage>(await api.get("/tenant/audit-events?limit=100", other.as), 200)).items;
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((e) => e.tenantId === other.tenant.id)).toBe(true);
    // Asking about a tenant one does not belong to is refused before any row is read.
    await expectApiError(await api.get("/tenant/audit-events", as(other.owner.accessToken)), 403, "NOT_A_MEMBER");
  });

  it("records nothing for a change that was refused or rolled back", async () => {
    const before = (await tenantEvents("?limit=100")).items.length;
    // The last owner cannot step down: refused, nothing changed, nothing recorded.
    await expectApiError(
      await api.patch(`/tenant/members/${shop.owner.user.id}`, { role: "member" }, as(shop.owner.accessToken)),
      409,
      "LAST_OWNER",
    );
    // An event written in a transaction that then fails goes with it.
    await expect(
      withTenantScope(server.db.prisma, { tenantId: shop.tenant.id }, async (tx) => {
        await tx.auditEvent.create({
          data: { tenantId: shop.tenant.id, actorType: "platform", action: "test.rolled_back", targetType: "tenant" },
        });
        throw new Error("the change fails after its event was written");
      }),
    ).rejects.toThrow(/the change fails/);
    const after = (await tenantEvents("?limit=100")).items;
    expect(after.length).toBe(before);
    expect(after.some((e) => e.action === "test.rolled_back")).toBe(false);
  });

  it("records the shop's order status changes through the module's ctx.audit", async () => {
    const product = await addProduct(api, shop.as, { name: "Lamp", priceMinor: 1200, stock: 3 });
    const order = await expectStatus<Order>(
      await api.post(
        "/modules/shop/orders",
        { items: [{ productId: product.id, quantity: 1 }] },
        { ...shop.as, token: member.accessToken },
      ),
      201,
    );
    await expectStatus(
      await api.patch(`/modules/shop/orders/${order.id}`, { status: "shipped" }, as(shop.owner.accessToken)),
      200,
    );
    const [event] = (await tenantEvents("?action=shop.")).items;
    expect(event).toMatchObject({
      action: "shop.order.status_changed",
      actorType: "user",
      actorId: shop.owner.user.id,
      targetType: "shop_order",
      targetId: order.id,
      details: { from: "paid", to: "shipped" },
    });
  });

  it("records refused sign-ins without the password, the whole address or the code", async () => {
    const email = shop.owner.email;
    await expectApiError(
      await api.post(
        "/auth/email/sign-in",
        { email, password: `${strongPassword}-wrong` },
        { headers: { "user-agent": userAgent } },
      ),
      401,
      "INVALID_CREDENTIALS",
    );
    const [event] = (await allEvents("?action=auth.sign_in_failed&platformOnly=true")).items;
    expect(event).toMatchObject({
      tenantId: null,
      actorType: "anonymous",
      actorId: null,
      targetType: "user",
      targetId: shop.owner.user.id,
      userAgent,
      details: { method: "email", reason: "wrong_password", identifier: `${email[0]}•••${email.slice(email.indexOf("@"))}` },
    });
    expect(JSON.stringify(event)).not.toContain(strongPassword);
    expect(JSON.stringify(event?.details)).not.toContain(email);
  });

  it("records sign-outs and blocked phones as platform events, the number masked", async () => {
    const someone = await registerMember(server, shop.owner.accessToken, shop.tenant.slug, "member");
    await expectStatus(await api.post("/auth/sign-out", {}, { token: someone.accessToken }), 200);
    const [signOut] = (await allEvents(`?action=session.revoked&actorId=${someone.user.id}`)).items;
    expect(signOut).toMatchObject({
      tenantId: null,
      actorType: "user",
      targetType: "user",
      targetId: someone.user.id,
      details: { reason: "sign_out", sessions: 1, sessionId: expect.any(String) },
    });

    const blocked = await expectStatus<{ id: string }>(
      await api.post("/admin/blocked-phones", { value: "+41795550123", isPrefix: false, reason: "abuse" }, { token: admin }),
      201,
    );
    await expectStatus(await api.delete(`/admin/blocked-phones/${blocked.id}`, { token: admin }), 200);
    const [unblockedEvent, blockedEvent] = (await allEvents("?action=admin.&platformOnly=true")).items;
    expect(blockedEvent).toMatchObject({ action: "admin.phone_blocked", actorType: "platform", targetId: blocked.id });
    expect(unblockedEvent).toMatchObject({ action: "admin.phone_unblocked", targetId: blocked.id });
    expect(blockedEvent?.details).toEqual({ value: "+4••••••••23", isPrefix: false });
    expect(JSON.stringify([blockedEvent, unblockedEvent])).not.toContain("5550123");
  });

  it("gives platform admins everything, narrowed by tenant, actor, action and time, page by page", async () => {
    const all = (await allEvents("?limit=100")).items;
    expect(all.some((e) => e.tenantId === shop.tenant.id)).toBe(true);
    expect(all.some((e) => e.tenantId === other.tenant.id)).toBe(true);
    expect(all.some((e) => e.tenantId === null)).toBe(true);

    const onlyOther = (await allEvents(`?tenantId=${other.tenant.id}&limit=100`)).items;
    expect(onlyOther.length).toBeGreaterThan(0);
    expect(onlyOther.every((e) => e.tenantId === other.tenant.id)).toBe(true);
    const byOwner = (await allEvents(`?actorId=${shop.owner.user.id}&limit=100`)).items;
    expect(byOwner.length).toBeGreaterThan(0);
    expect(byOwner.every((e) => e.actorId === shop.owner.user.id)).toBe(true);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await allEvents(`?from=${encodeURIComponent(future)}`)).items).toEqual([]);
    expect((await allEvents(`?to=${encodeURIComponent(future)}&limit=100`)).items.length).toBe(all.length);

    // Pages of two, newest first, add up to the whole without repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditPage = await allEvents(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));

    // Platform admins' own changes are recorded as the platform's, on the tenant they touched.
    await expectStatus(
      await api.post(`/admin/tenants/${other.tenant.slug}/suspend`, { reason: "audit test" }, { token: admin }),
      200,
    );
    await expectStatus(await api.post(`/admin/tenants/${other.tenant.slug}/reactivate`, {}, { token: admin }), 200);
    const [reactivated, suspended] = (await allEvents(`?tenantId=${other.tenant.id}&action=tenant.`)).items;
    expect(suspended).toMatchObject({ action: "tenant.suspended", actorType: "platform", details: { reason: "audit test" } });
    expect(reactivated).toMatchObject({ action: "tenant.reactivated", actorType: "platform" });
  });

  it("answers bad filters with 400 naming the field, and keeps the listing from everyone else", async () => {
    await expectApiError(await api.get("/admin/audit-events?from=yesterday", { token: admin }), 400, "VALIDATION_FAILED", "from");
    await expectApiError(
      await api.get("/admin/audit-events?action=DROP%20TABLE", { token: admin }),
      400,
      "VALIDATION_FAILED",
      "action",
    );
    await expectApiError(
      await api.get("/admin/audit-events?tenantId=..%2F..", { token: admin }),
      400,
      "VALIDATION_FAILED",
      "tenantId",
    );
    await expectApiError(await api.get("/admin/audit-events?cursor=forged", { token: admin }), 400, "INVALID_CURSOR");
    await expectApiError(await api.get("/admin/audit-events", { token: shop.owner.accessToken }), 403, "PLATFORM_ADMIN_ONLY");
    await expectApiError(await api.get("/admin/audit-events"), 401, "UNAUTHENTICATED");
  });

  it("lets the application append but never rewrite or delete an event; the purge deletes old ones", async () => {
    const [latest] = (await tenantEvents()).items;
    const inScope = (sql: string) =>
      withTenantScope(server.db.prisma, { tenantId: shop.tenant.id }, (tx) => tx.$executeRawUnsafe(sql, latest!.id));
    await expect(inScope("update audit_events set action = 'forged' where id = $1::uuid")).rejects.toThrow(/permission denied/);
    await expect(inScope("delete from audit_events where id = $1::uuid")).rejects.toThrow(/permission denied/);

    // An event from long ago (written as the owner, as a migration would) goes with the purge.
    const old = await server.db.withOwner((owner) =>
      owner.auditEvent.create({
        data: {
          tenantId: shop.tenant.id,
          actorType: "platform",
          action: "test.ancient",
          targetType: "tenant",
          createdAt: new Date("2020-01-01"),
        },
      }),
    );
    expect((await purgeExpiredRecords(server.db.prisma, new Date(), { auditRetentionDays: null })).auditEvents).toBe(0);
    const purged = await purgeExpiredRecords(server.db.prisma, new Date(), { auditRetentionDays: 365 });
    expect(purged.auditEvents).toBe(1);
    expect(await server.db.withOwner((owner) => owner.auditEvent.findUnique({ where: { id: old.id } }))).toBeNull();
    expect((await tenantEvents()).items[0]?.id).toBe(latest!.id);
  });
});
