import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAsAdmin } from "./support/accounts.ts";
import { addProduct, shopTenant, type OwnedTenant } from "./support/shop.ts";
import {
  expectApiError,
  expectStatus,
  platformDomain,
  register,
  seedAdminPassword,
  tenantClient,
  tenantEnv,
  type Member,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * Platform admins suspend and reactivate tenants. A suspended tenant answers 403
 * TENANT_SUSPENDED to everyone, by header, subdomain and storefront alike, at once (its cached
 * resolution is cleared); reactivating brings everything back as it was.
 */
describe.each(testBackends())("tenant suspension on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;
  let admin: string;
  let shop: OwnedTenant;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    api = tenantClient(server);
    admin = (await signInAsAdmin(server, seedAdminPassword)).accessToken;
    shop = await shopTenant(server, api);
    await addProduct(api, shop.as, { name: "Lamp", priceMinor: 1200, stock: 3 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const suspend = (tenant: string, token = admin, body: unknown = {}) =>
    api.post(`/admin/tenants/${tenant}/suspend`, body, { token });
  const reactivate = (tenant: string, token = admin) => api.post(`/admin/tenants/${tenant}/reactivate`, {}, { token });

  it("suspends at once everywhere the tenant is served, and reactivating restores it unchanged", async () => {
    const { as, tenant } = shop;
    const viaSubdomain = { host: `${tenant.slug}.${platformDomain}` };
    // Warm the resolution cache, so the suspension must clear it to show.
    await expectStatus(await api.get("/modules/shop/products", { tenant: tenant.slug }), 200);
    await expectStatus(await api.get("/tenant/public", viaSubdomain), 200);
    const membersBefore = await expectStatus<Member[]>(await api.get("/tenant/members", as), 200);

    const suspended = await expectStatus<{ id: string; slug: string; status: string }>(
      await suspend(tenant.slug, admin, { reason: "unpaid invoices" }),
      200,
    );
    expect(suspended).toEqual({ id: tenant.id, slug: tenant.slug, status: "suspended" });

    await expectApiError(await api.get("/tenant", as), 403, "TENANT_SUSPENDED");
    await expectApiError(await api.get("/tenant/members", { token: as.token, tenant: tenant.id }), 403, "TENANT_SUSPENDED");
    await expectApiError(await api.get("/modules/shop/products", { tenant: tenant.slug }), 403, "TENANT_SUSPENDED");
    await expectApiError(await api.get("/tenant/public", viaSubdomain), 403, "TENANT_SUSPENDED");
    await expectApiError(await api.post("/tenant/leave", {}, as), 403, "TENANT_SUSPENDED");

    await expectStatus(await reactivate(tenant.id), 200);
    expect(await expectStatus<Member[]>(await api.get("/tenant/members", as), 200)).toEqual(membersBefore);
    const products = await expectStatus<{ items: Array<{ name: string }> }>(
      await api.get("/modules/shop/products", { tenant: tenant.slug }),
      200,
    );
    expect(products.items.map((p) => p.name)).toEqual(["Lamp"]);
    await expectStatus(await api.get("/tenant/public", viaSubdomain), 200);
  });

  it("is for platform admins only: owners, members and strangers get 403, and the tenant stays active", async () => {
    const stranger = await register(server);
    for (const token of [shop.owner.accessToken, stranger.accessToken]) {
      await expectApiError(await suspend(shop.tenant.slug, token), 403, "PLATFORM_ADMIN_ONLY");
      await expectApiError(await reactivate(shop.tenant.slug, token), 403, "PLATFORM_ADMIN_ONLY");
    }
    await expectApiError(await api.post(`/admin/tenants/${shop.tenant.slug}/suspend`, {}), 401, "UNAUTHENTICATED");
    await expectStatus(await api.get("/tenant", shop.as), 200);
  });

  it("answers 404 for an unknown tenant and 400 naming the field for a bad reason", async () => {
    await expectApiError(await suspend("no-such-tenant"), 404, "TENANT_NOT_FOUND");
    await expectApiError(await suspend(shop.tenant.slug, admin, { reason: "x".repeat(501) }), 400, "VALIDATION_FAILED", "reason");
    await expectStatus(await api.get("/tenant", shop.as), 200);
  });

  it("suspending twice and reactivating an active tenant change nothing further", async () => {
    await expectStatus(await suspend(shop.tenant.slug), 200);
    expect(await expectStatus<{ status: string }>(await suspend(shop.tenant.slug), 200)).toMatchObject({ status: "suspended" });
    await expectStatus(await reactivate(shop.tenant.slug), 200);
    expect(await expectStatus<{ status: string }>(await reactivate(shop.tenant.slug), 200)).toMatchObject({ status: "active" });
    await expectStatus(await api.get("/tenant", shop.as), 200);
  });
});
