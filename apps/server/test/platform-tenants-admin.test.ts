import type { RouterOutputs } from "@tenantry/api";
import { withTenantScope } from "@tenantry/db";
import { describe, expect, it } from "vitest";
import { adminSuite } from "./support/admin-suite.ts";
import { addProduct, shopTenant } from "./support/shop.ts";
import { createTenant, expectApiError, expectStatus, invite, register, registerMember, uniqueSlug } from "./support/tenants.ts";
import { testBackends } from "./support/test-server.ts";

type TenantPage = RouterOutputs["admin"]["tenants"]["search"];
type AdminTenant = RouterOutputs["admin"]["tenants"]["get"];
type AuditPage = RouterOutputs["admin"]["auditEvents"];

/**
 * What a platform operator does with tenants: find them (by slug, name, domain or an owner's
 * address), look at one (members, plan, modules, domains), and delete one with the guarantees
 * of the owner's own delete. Suspension has its own suite (tenant-suspension.test.ts).
 */
describe.each(testBackends())("platform administration of tenants on $name", (backend) => {
  const suite = adminSuite(backend);
  const asAdmin = () => suite.asAdmin();

  it("finds tenants by part of the slug, the name, a domain or an owner's email, and pages through them", async () => {
    const owner = await register(suite.server);
    const slug = uniqueSlug("findable");
    const tenant = await createTenant(suite.server, owner.accessToken, { slug, name: "Zebra Crossing Bakery" });
    const domain = `${uniqueSlug("shop")}.example.com`;
    await expectStatus(await suite.api.post("/tenant/domains", { domain }, { token: owner.accessToken, tenant: slug }), 201);

    for (const query of [slug.slice(2, 14).toUpperCase(), "zebra crossing", domain.slice(0, 12), owner.email.slice(0, 14)]) {
      const page = await expectStatus<TenantPage>(
        await suite.api.get(`/admin/tenants?query=${encodeURIComponent(query)}`, asAdmin()),
        200,
      );
      expect(
        page.items.map((t) => t.id),
        query,
      ).toContain(tenant.id);
    }
    const found = await expectStatus<TenantPage>(await suite.api.get(`/admin/tenants?query=${slug}`, asAdmin()), 200);
    expect(found.items).toEqual([
      expect.objectContaining({
        id: tenant.id,
        slug,
        name: "Zebra Crossing Bakery",
        status: "active",
        members: 1,
        plan: { code: "free", status: "active" },
      }),
    ]);
    // LIKE's wildcards are matched literally: "%" finds no slug, name or address containing none.
    const wildcard = await expectStatus<TenantPage>(
      await suite.api.get(`/admin/tenants?query=${encodeURIComponent("%_%")}`, asAdmin()),
      200,
    );
    expect(wildcard.items).toEqual([]);
    expect(
      (await expectStatus<TenantPage>(await suite.api.get(`/admin/tenants?query=${slug}&status=suspended`, asAdmin()), 200))
        .items,
    ).toEqual([]);

    const first = await expectStatus<TenantPage>(await suite.api.get("/admin/tenants?limit=1", asAdmin()), 200);
    const second = await expectStatus<TenantPage>(
      await suite.api.get(`/admin/tenants?limit=1&cursor=${first.nextCursor}`, asAdmin()),
      200,
    );
    expect(first.items).toHaveLength(1);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
    expect(second.items[0]!.createdAt <= first.items[0]!.createdAt).toBe(true);
  });

  it("refuses bad search input and a forged cursor with the field named, and non-admins", async () => {
    const api = suite.api;
    await expectApiError(await api.get("/admin/tenants?status=deleted", asAdmin()), 400, "VALIDATION_FAILED", "status");
    await expectApiError(await api.get("/admin/tenants?limit=0", asAdmin()), 400, "VALIDATION_FAILED", "limit");
    await expectApiError(await api.get(`/admin/tenants?query=${"x".repeat(201)}`, asAdmin()), 400, "VALIDATION_FAILED", "query");
    await expectApiError(await api.get("/admin/tenants?cursor=bm9wZQ", asAdmin()), 400, "INVALID_CURSOR", "cursor");
    const user = await register(suite.server);
    await expectApiError(await api.get("/admin/tenants", { token: user.accessToken }), 403, "PLATFORM_ADMIN_ONLY");
    await expectApiError(await api.get("/admin/tenants"), 401, "UNAUTHENTICATED");
  });

  it("shows one tenant with members, plan, modules, domains and pending invitations", async () => {
    const { owner, tenant, as } = await shopTenant(suite.server, suite.api);
    const member = await registerMember(suite.server, owner.accessToken, tenant.slug, "member");
    await invite(suite.server, owner.accessToken, tenant.slug, { email: `later-${uniqueSlug()}@example.test` });
    const domain = `${uniqueSlug("view")}.example.com`;
    await expectStatus(await suite.api.post("/tenant/domains", { domain }, as), 201);

    for (const reference of [tenant.slug, tenant.id]) {
      const viewed = await expectStatus<AdminTenant>(await suite.api.get(`/admin/tenants/${reference}`, asAdmin()), 200);
      expect(viewed).toMatchObject({
        id: tenant.id,
        slug: tenant.slug,
        status: "active",
        subscription: { planCode: "pro", status: "active" },
        modules: [{ moduleId: "shop", enabled: true }],
        domains: [{ domain, verified: false, isPrimary: false }],
        pendingInvitations: 1,
      });
      expect(viewed.members.map((m) => [m.userId, m.role])).toEqual([
        [owner.user.id, "owner"],
        [member.user.id, "member"],
      ]);
      expect(JSON.stringify(viewed)).not.toMatch(/verificationToken|tokenHash|passwordHash/);
    }
    await expectApiError(await suite.api.get("/admin/tenants/no-such-tenant", asAdmin()), 404, "TENANT_NOT_FOUND");
  });

  it("deletes a tenant with everything it owns, as its owner would, once the slug is repeated", async () => {
    const { owner, tenant, as } = await shopTenant(suite.server, suite.api);
    const member = await registerMember(suite.server, owner.accessToken, tenant.slug, "member");
    await addProduct(suite.api, as, { name: "Gone soon", priceMinor: 100, stock: 1 });
    // Warm the resolver so the delete has to invalidate it.
    await expectStatus(await suite.api.get("/tenant/public", { tenant: tenant.slug }), 200);

    await expectApiError(
      await suite.api.delete(`/admin/tenants/${tenant.id}?confirm=${tenant.id}`, asAdmin()),
      400,
      "CONFIRMATION_MISMATCH",
      "confirm",
    );
    await expectApiError(await suite.api.delete(`/admin/tenants/${tenant.slug}`, asAdmin()), 400, "VALIDATION_FAILED", "confirm");
    await expectApiError(
      await suite.api.delete(`/admin/tenants/${tenant.slug}?confirm=x`, { token: owner.accessToken }),
      403,
      "PLATFORM_ADMIN_ONLY",
    );
    expect(await expectStatus(await suite.api.get("/tenant/public", { tenant: tenant.slug }), 200)).toMatchObject({
      id: tenant.id,
    });

    const deleted = await expectStatus(
      await suite.api.delete(`/admin/tenants/${tenant.id}?confirm=${tenant.slug}&reason=fraud`, asAdmin()),
      200,
    );
    expect(deleted).toEqual({ deleted: true, removed: { members: 2, domains: 0, invitations: 1, modules: 1 } });

    await expectApiError(await suite.api.get("/tenant/public", { tenant: tenant.slug }), 404, "TENANT_NOT_FOUND");
    await expectApiError(await suite.api.get("/modules/shop/storefront", { tenant: tenant.slug }), 404, "TENANT_NOT_FOUND");
    expect(await expectStatus(await suite.api.get("/tenants", { token: member.accessToken }), 200)).toEqual([]);
    await expectApiError(await suite.api.get(`/admin/tenants/${tenant.id}`, asAdmin()), 404, "TENANT_NOT_FOUND");
    // Module data went with it (read inside the deleted tenant's scope, where it would show).
    const products = await withTenantScope(
      suite.server.db.prisma,
      { tenantId: tenant.id },
      (tx) => tx.$queryRaw<Array<{ n: number }>>`select count(*)::int as n from shop_products`,
    );
    expect(products[0]!.n).toBe(0);

    const events = await expectStatus<AuditPage>(
      await suite.api.get(`/admin/audit-events?tenantId=${tenant.id}&action=tenant.&limit=100`, asAdmin()),
      200,
    );
    expect(events.items.find((e) => e.action === "tenant.deleted")).toMatchObject({
      actorType: "platform",
      actorId: suite.admin.id,
      details: { slug: tenant.slug, reason: "fraud" },
    });
    await expectApiError(
      await suite.api.delete(`/admin/tenants/${tenant.slug}?confirm=${tenant.slug}`, asAdmin()),
      404,
      "TENANT_NOT_FOUND",
    );
  });
});
