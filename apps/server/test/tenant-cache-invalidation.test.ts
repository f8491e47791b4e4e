import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePlan, disableShop, enableShopOk, ownTenant } from "./support/shop.ts";
import { call, createTenant, register, registerMember, tenantClient, uniqueSlug } from "./support/tenants.ts";
import { testBackends, type TestServer } from "./support/test-server.ts";
import { startTwoInstances, type TwoInstances } from "./support/two-instances.ts";

// Both instances cache tenants for ten minutes: only an invalidation explains a change seen at once.
const postgres = testBackends().find((b) => b.name === "postgres");

describe.runIf(postgres)("tenant cache invalidation across instances (PostgreSQL + Redis)", () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    instances = await startTwoInstances(postgres!, { TENANT_CACHE_TTL_MS: "600000" });
    ({ a, b } = instances);
  });
  afterAll(async () => {
    await instances?.stop();
  });

  it("a slug changed on one instance resolves on the other at once", async () => {
    const owner = await register(a);
    const tenant = await createTenant(a, owner.accessToken);
    const publicVia = (server: TestServer, slug: string) => call(server, "GET", "/tenant/public", { tenant: slug });

    // Warm instance B's cache with the old slug.
    expect((await publicVia(b, tenant.slug)).status).toBe(200);

    const renamed = uniqueSlug();
    const res = await call(a, "PATCH", "/tenant", { token: owner.accessToken, tenant: tenant.slug, body: { slug: renamed } });
    expect(res.status).toBe(200);

    await expect.poll(async () => (await publicVia(b, tenant.slug)).status, { timeout: 10_000 }).toBe(404);
    expect((await publicVia(b, renamed)).status).toBe(200);
  });

  it("a module switched off, its settings or the tenant's plan changed on one instance, are seen by the other at once", async () => {
    const { owner, tenant, as } = await ownTenant(a, tenantClient(a), "pro");
    await enableShopOk(tenantClient(a), as);
    const storefrontVia = (server: TestServer) => call(server, "GET", "/modules/shop/storefront", { tenant: tenant.slug });
    const titleOn = async (server: TestServer) => {
      const res = await storefrontVia(server);
      return res.status === 200 ? ((await res.json()) as { title: string }).title : res.status;
    };

    // Instance B caches the module's state (ten minutes): each change below must reach it.
    expect((await storefrontVia(b)).status).toBe(200);
    const patched = await call(a, "PATCH", "/modules/shop/settings", {
      token: owner.accessToken,
      tenant: tenant.slug,
      body: { storefrontTitle: "Changed on A" },
    });
    expect(patched.status).toBe(200);
    await expect.poll(() => titleOn(b), { timeout: 2_000 }).toBe("Changed on A");

    expect((await disableShop(tenantClient(a), as)).status).toBe(200);
    await expect.poll(async () => (await storefrontVia(b)).status, { timeout: 2_000 }).toBe(403);

    await enableShopOk(tenantClient(a), as);
    await expect.poll(async () => (await storefrontVia(b)).status, { timeout: 2_000 }).toBe(200);
    // Moving a tenant with the shop on to a plan without it takes a platform admin.
    await a.db.prisma.user.update({ where: { id: owner.user.id }, data: { platformRole: "admin" } });
    const moved = await call(a, "PATCH", `/admin/tenants/${tenant.slug}/subscription`, {
      token: owner.accessToken,
      body: { planCode: "free" },
    });
    expect(moved.status).toBe(200);
    await expect.poll(async () => (await storefrontVia(b)).status, { timeout: 2_000 }).toBe(403);
    await changePlan(tenantClient(a), as, "pro");
    await expect.poll(async () => (await storefrontVia(b)).status, { timeout: 2_000 }).toBe(200);
  });

  it("a sign-out and a demotion on one instance hold on the other at once: sessions and roles are read, never cached", async () => {
    const { owner, tenant, as } = await ownTenant(a, tenantClient(a), "pro");
    const admin = await registerMember(a, owner.accessToken, tenant.slug, "admin");
    const asAdmin = { token: admin.accessToken, tenant: tenant.slug };
    const invitationsVia = (server: TestServer) => call(server, "GET", "/tenant/invitations", asAdmin);
    expect((await invitationsVia(b)).status).toBe(200);

    // Demoted on A: B refuses the admin-only read on the very next request, no polling.
    const demoted = await call(a, "PATCH", `/tenant/members/${admin.user.id}`, { ...as, body: { role: "member" } });
    expect(demoted.status).toBe(200);
    expect((await invitationsVia(b)).status).toBe(403);

    // Signed out on A: B refuses the token on the very next request.
    expect((await call(a, "GET", "/tenant/notifications", asAdmin)).status).toBe(200);
    expect((await call(a, "POST", "/auth/sign-out", { token: admin.accessToken })).status).toBe(200);
    const after = await call(b, "GET", "/tenant/notifications", asAdmin);
    expect(after.status).toBe(401);
  });
});
