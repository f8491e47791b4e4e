import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeDns } from "./support/fake-dns.ts";
import {
  accept,
  createTenant,
  expectApiError,
  expectStatus,
  invite,
  register,
  registerMember,
  tenantClient,
  tenantEnv,
  uniqueSlug,
  type TenantClient,
  type TenantSummary,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every name the platform keeps for itself (tenant-resolver.ts `reservedSubdomains`). */
const reservedSlugs = [
  "www",
  "api",
  "admin",
  "app",
  "auth",
  "billing",
  "dashboard",
  "docs",
  "help",
  "mail",
  "static",
  "assets",
  "status",
  "support",
  "login",
  "signup",
  "tenantry",
  "system",
  "root",
];

function expectRecent(iso: string) {
  const at = Date.parse(iso);
  expect(Number.isNaN(at)).toBe(false);
  expect(Math.abs(Date.now() - at)).toBeLessThan(60_000);
}

describe.each(testBackends())("tenants over HTTP on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv(), { dns: fakeDns() });
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("creating and listing", () => {
    it("needs a signed-in user", async () => {
      await expectApiError(await api.post("/tenants", { slug: uniqueSlug(), name: "Nobody's" }), 401, "UNAUTHENTICATED");
      await expectApiError(await api.get("/tenants"), 401, "UNAUTHENTICATED");
      await expectApiError(
        await api.post("/tenants", { slug: uniqueSlug(), name: "x" }, { token: "not.a.jwt" }),
        401,
        "TOKEN_INVALID",
      );
    });

    it("refuses text the database cannot store (a NUL character) with 400, not 500", async () => {
      const ada = await register(server);
      await expectApiError(
        await api.post("/tenants", { slug: uniqueSlug(), name: "Nul\u0000Shop" }, { token: ada.accessToken }),
        400,
        "INVALID_TEXT",
      );
      expect(await expectStatus(await api.get("/tenants", { token: ada.accessToken }), 200)).toEqual([]);
    });

    it("makes the creator the owner, starts active and lists the tenant with the role", async () => {
      const ada = await register(server);
      const slug = uniqueSlug("acme");
      const created = await expectStatus<TenantSummary>(
        await api.post("/tenants", { slug, name: "  Acme Shop  " }, { token: ada.accessToken }),
        201,
      );
      expect(created).toEqual({
        id: expect.stringMatching(uuid),
        slug,
        name: "Acme Shop",
        status: "active",
        createdAt: expect.any(String),
        role: "owner",
      });
      expectRecent(created.createdAt);

      expect(await expectStatus(await api.get("/tenants", { token: ada.accessToken }), 200)).toEqual([created]);
      // The same tenant, named by slug, by id, or by the slug in capitals.
      for (const reference of [slug, created.id, slug.toUpperCase(), created.id.toUpperCase()]) {
        expect(await expectStatus(await api.get("/tenant", { token: ada.accessToken, tenant: reference }), 200)).toEqual(created);
      }
    });

    it("folds the slug to lower case and trims it", async () => {
      const ada = await register(server);
      const slug = uniqueSlug("mixed");
      const created = await expectStatus<TenantSummary>(
        await api.post("/tenants", { slug: `  ${slug.toUpperCase()} `, name: "Mixed" }, { token: ada.accessToken }),
        201,
      );
      expect(created.slug).toBe(slug);
    });

    it("accepts slugs of 3 and of 63 characters", async () => {
      const ada = await register(server);
      const short = uniqueSlug()
        .slice(-3)
        .replace(/^[^a-z0-9]/, "a");
      const long = `${uniqueSlug("l")}-${"x".repeat(63)}`.slice(0, 63);
      expect(long).toHaveLength(63);
      for (const slug of [short, long]) {
        const res = await api.post("/tenants", { slug, name: slug }, { token: ada.accessToken });
        expect((await expectStatus<TenantSummary>(res, 201)).slug).toBe(slug);
      }
    });

    it.each([
      ["too short", "ab"],
      ["too long", `a${"b".repeat(63)}`],
      ["leading dash", "-acme"],
      ["trailing dash", "acme-"],
      ["underscore", "acme_shop"],
      ["space inside", "acme shop"],
      ["dot", "acme.shop"],
      ["non-ASCII letter", "bücher"],
      ["empty", ""],
    ])("refuses a slug with %s (400, field slug)", async (_case, slug) => {
      const ada = await register(server);
      const res = await api.post("/tenants", { slug, name: "Bad slug" }, { token: ada.accessToken });
      await expectApiError(res, 400, "VALIDATION_FAILED", "slug");
      expect(await expectStatus(await api.get("/tenants", { token: ada.accessToken }), 200)).toEqual([]);
    });

    it.each(reservedSlugs)("refuses the reserved slug %s (400, field slug)", async (slug) => {
      const ada = await register(server);
      const body = await expectApiError(
        await api.post("/tenants", { slug, name: "Reserved" }, { token: ada.accessToken }),
        400,
        "VALIDATION_FAILED",
        "slug",
      );
      expect(body.message).toContain("reserved");
    });

    it("refuses a missing, empty or over-long name (400, field name)", async () => {
      const ada = await register(server);
      for (const name of [undefined, "", "   ", "n".repeat(101)]) {
        const res = await api.post(
          "/tenants",
          { slug: uniqueSlug(), ...(name !== undefined ? { name } : {}) },
          { token: ada.accessToken },
        );
        await expectApiError(res, 400, "VALIDATION_FAILED", "name");
      }
    });

    it("refuses a slug that is in use, however it is written (409 SLUG_TAKEN)", async () => {
      const ada = await register(server);
      const bob = await register(server);
      const first = await createTenant(server, ada.accessToken);
      for (const slug of [first.slug, first.slug.toUpperCase(), "demo"]) {
        const res = await api.post("/tenants", { slug, name: "Copycat" }, { token: bob.accessToken });
        await expectApiError(res, 409, "SLUG_TAKEN", "slug");
      }
      expect(await expectStatus(await api.get("/tenants", { token: bob.accessToken }), 200)).toEqual([]);
    });

    it("lists only the caller's tenants, each with the caller's role, oldest membership first", async () => {
      const ada = await register(server);
      const bob = await register(server);
      const zoe = await register(server);
      const adasOwn = await createTenant(server, ada.accessToken);
      const bobsOwn = await createTenant(server, bob.accessToken);
      const { token } = await invite(server, bob.accessToken, bobsOwn.slug, { email: ada.email, role: "admin" });
      await accept(server, ada.accessToken, token);

      expect(await expectStatus(await api.get("/tenants", { token: ada.accessToken }), 200)).toEqual([
        adasOwn,
        { ...bobsOwn, role: "admin" },
      ]);
      expect(await expectStatus(await api.get("/tenants", { token: bob.accessToken }), 200)).toEqual([bobsOwn]);
      expect(await expectStatus(await api.get("/tenants", { token: zoe.accessToken }), 200)).toEqual([]);
    });
  });

  describe("which tenant a request is for", () => {
    let owner: Awaited<ReturnType<typeof register>>;
    let tenant: TenantSummary;

    beforeAll(async () => {
      owner = await register(server);
      tenant = await createTenant(server, owner.accessToken);
    });

    it("names none: 400 TENANT_REQUIRED", async () => {
      await expectApiError(await api.get("/tenant", { token: owner.accessToken }), 400, "TENANT_REQUIRED");
      await expectApiError(await api.get("/tenant", { token: owner.accessToken, tenant: "   " }), 400, "TENANT_REQUIRED");
      await expectApiError(await api.get("/tenant/members", { token: owner.accessToken }), 400, "TENANT_REQUIRED");
      await expectApiError(await api.get("/tenant/public"), 400, "TENANT_REQUIRED");
    });

    it("names one that does not exist: 404 TENANT_NOT_FOUND", async () => {
      for (const reference of [uniqueSlug("ghost"), randomUUID(), "x".repeat(101), "'; drop table tenants; --"]) {
        await expectApiError(await api.get("/tenant", { token: owner.accessToken, tenant: reference }), 404, "TENANT_NOT_FOUND");
        await expectApiError(await api.get("/tenant/public", { tenant: reference }), 404, "TENANT_NOT_FOUND");
      }
    });

    it("asks for sign-in before saying anything about the tenant", async () => {
      await expectApiError(await api.get("/tenant", { tenant: uniqueSlug("ghost") }), 401, "UNAUTHENTICATED");
      await expectApiError(await api.get("/tenant", { tenant: tenant.slug }), 401, "UNAUTHENTICATED");
      await expectApiError(await api.delete("/tenant", { tenant: tenant.slug }), 401, "UNAUTHENTICATED");
    });

    it("names someone else's tenant: 403 NOT_A_MEMBER on every member route, and nothing changes", async () => {
      const mallory = await register(server);
      const { invitation } = await invite(server, owner.accessToken, tenant.slug, { email: `x-${uniqueSlug()}@example.test` });
      const as = { token: mallory.accessToken, tenant: tenant.slug };
      const attempts: Array<[string, Promise<Response>]> = [
        ["GET /tenant", api.get("/tenant", as)],
        ["PATCH /tenant", api.patch("/tenant", { name: "Pwned" }, as)],
        ["DELETE /tenant", api.delete("/tenant", as)],
        ["POST /tenant/leave", api.post("/tenant/leave", {}, as)],
        ["GET /tenant/members", api.get("/tenant/members", as)],
        ["PATCH /tenant/members/{owner}", api.patch(`/tenant/members/${owner.user.id}`, { role: "member" }, as)],
        ["DELETE /tenant/members/{owner}", api.delete(`/tenant/members/${owner.user.id}`, as)],
        ["GET /tenant/invitations", api.get("/tenant/invitations", as)],
        ["POST /tenant/invitations", api.post("/tenant/invitations", { email: mallory.email, role: "owner" }, as)],
        ["DELETE /tenant/invitations/{id}", api.delete(`/tenant/invitations/${invitation.id}`, as)],
        ["GET /tenant/domains", api.get("/tenant/domains", as)],
        ["POST /tenant/domains", api.post("/tenant/domains", { domain: "mallory.example.com" }, as)],
        ["GET /tenant/subscription", api.get("/tenant/subscription", as)],
        ["PATCH /tenant/subscription", api.patch("/tenant/subscription", { planCode: "business" }, as)],
      ];
      for (const [label, pending] of attempts) {
        const res = await pending;
        expect({ label, status: res.status }).toEqual({ label, status: 403 });
        await expectApiError(res, 403, "NOT_A_MEMBER");
      }
      const as_owner = { token: owner.accessToken, tenant: tenant.slug };
      expect(await expectStatus(await api.get("/tenant", as_owner), 200)).toEqual(tenant);
      expect(await expectStatus<unknown[]>(await api.get("/tenant/invitations", as_owner), 200)).toHaveLength(1);
      expect(await expectStatus(await api.get("/tenant/domains", as_owner), 200)).toEqual([]);
      expect(await expectStatus(await api.get("/tenants", { token: mallory.accessToken }), 200)).toEqual([]);
    });

    // X-Tenant takes an id or a slug, so a slug shaped like a tenant id could impersonate that
    // tenant; such slugs are refused, and an id always names the tenant with that id.
    it("refuses a slug shaped like a tenant id, so no tenant can capture requests naming another's id", async () => {
      const victimOwner = await register(server);
      const attacker = await register(server);
      const victim = await createTenant(server, victimOwner.accessToken, { name: "Victim Inc" });
      const own = await createTenant(server, attacker.accessToken);

      for (const slug of [victim.id, victim.id.toUpperCase(), randomUUID()]) {
        const squat = await api.post("/tenants", { slug, name: "Attacker Ltd" }, { token: attacker.accessToken });
        await expectApiError(squat, 400, "VALIDATION_FAILED", "slug");
        const renamed = await api.patch("/tenant", { slug }, { token: attacker.accessToken, tenant: own.slug });
        await expectApiError(renamed, 400, "VALIDATION_FAILED", "slug");
      }
      // The victim's row changes (which reorders rows on disk); its id still names it alone.
      await expectStatus(
        await api.patch("/tenant", { name: "Victim Inc (renamed)" }, { token: victimOwner.accessToken, tenant: victim.slug }),
        200,
      );
      expect(await expectStatus(await api.get("/tenant/public", { tenant: victim.id }), 200)).toEqual({
        id: victim.id,
        slug: victim.slug,
        name: "Victim Inc (renamed)",
      });
      await expectApiError(await api.get("/tenant", { token: attacker.accessToken, tenant: victim.id }), 403, "NOT_A_MEMBER");
      expect(await expectStatus(await api.get("/tenants", { token: attacker.accessToken }), 200)).toEqual([own]);
    });
  });

  describe("PATCH /tenant", () => {
    it("lets owners and admins rename it and change its slug; members get 403 PERMISSION_DENIED", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const member = await registerMember(server, owner.accessToken, tenant.slug, "member");

      const renamed = await expectStatus<TenantSummary>(
        await api.patch("/tenant", { name: "Renamed by owner" }, { token: owner.accessToken, tenant: tenant.slug }),
        200,
      );
      expect(renamed).toEqual({ ...tenant, name: "Renamed by owner" });

      const newSlug = uniqueSlug("by-admin");
      const bySlug = await expectStatus<TenantSummary>(
        await api.patch("/tenant", { slug: newSlug, name: "Renamed by admin" }, { token: admin.accessToken, tenant: tenant.id }),
        200,
      );
      expect(bySlug).toEqual({ ...tenant, slug: newSlug, name: "Renamed by admin", role: "admin" });

      const refused = await api.patch("/tenant", { name: "Renamed by member" }, { token: member.accessToken, tenant: tenant.id });
      await expectApiError(refused, 403, "PERMISSION_DENIED");
      await expectApiError(
        await api.patch("/tenant", { slug: uniqueSlug() }, { token: member.accessToken, tenant: tenant.id }),
        403,
        "PERMISSION_DENIED",
      );
      const now = await expectStatus<TenantSummary>(
        await api.get("/tenant", { token: member.accessToken, tenant: tenant.id }),
        200,
      );
      expect(now).toEqual({ ...tenant, slug: newSlug, name: "Renamed by admin", role: "member" });
    });

    it("after a slug change the old slug stops resolving and the new one works at once", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      const newSlug = uniqueSlug("moved");
      // Both answers are now cached: the old slug found, the new one not found.
      await expectStatus(await api.get("/tenant/public", { tenant: tenant.slug }), 200);
      await expectApiError(await api.get("/tenant/public", { tenant: newSlug }), 404, "TENANT_NOT_FOUND");

      await expectStatus(await api.patch("/tenant", { slug: newSlug }, { token: owner.accessToken, tenant: tenant.slug }), 200);

      await expectApiError(await api.get("/tenant/public", { tenant: tenant.slug }), 404, "TENANT_NOT_FOUND");
      await expectApiError(await api.get("/tenant", { token: owner.accessToken, tenant: tenant.slug }), 404, "TENANT_NOT_FOUND");
      expect(await expectStatus(await api.get("/tenant/public", { tenant: newSlug }), 200)).toEqual({
        id: tenant.id,
        slug: newSlug,
        name: tenant.name,
      });
      expect(await expectStatus(await api.get("/tenant/public", { tenant: tenant.id }), 200)).toMatchObject({ slug: newSlug });
      // The old slug is free for someone else now.
      const other = await register(server);
      expect((await createTenant(server, other.accessToken, { slug: tenant.slug })).id).not.toBe(tenant.id);
    });

    it("refuses a taken slug (409 SLUG_TAKEN), a reserved or malformed one and a bad name (400), changing nothing", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      const other = await createTenant(server, (await register(server)).accessToken);
      const as = { token: owner.accessToken, tenant: tenant.slug };

      await expectApiError(await api.patch("/tenant", { slug: other.slug }, as), 409, "SLUG_TAKEN", "slug");
      await expectApiError(await api.patch("/tenant", { slug: "demo" }, as), 409, "SLUG_TAKEN", "slug");
      await expectApiError(await api.patch("/tenant", { slug: "admin" }, as), 400, "VALIDATION_FAILED", "slug");
      await expectApiError(await api.patch("/tenant", { slug: "no_underscores" }, as), 400, "VALIDATION_FAILED", "slug");
      await expectApiError(await api.patch("/tenant", { name: "" }, as), 400, "VALIDATION_FAILED", "name");
      await expectApiError(await api.patch("/tenant", { name: "n".repeat(101) }, as), 400, "VALIDATION_FAILED", "name");

      expect(await expectStatus(await api.get("/tenant", as), 200)).toEqual(tenant);
      expect(await expectStatus(await api.patch("/tenant", {}, as), 200)).toEqual(tenant);
      // Setting the slug it already has is no conflict.
      expect(await expectStatus(await api.patch("/tenant", { slug: tenant.slug }, as), 200)).toEqual(tenant);
    });
  });

  describe("DELETE /tenant", () => {
    it("is for owners only: admins and members get 403 PERMISSION_DENIED", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const member = await registerMember(server, owner.accessToken, tenant.slug, "member");
      for (const user of [admin, member]) {
        await expectApiError(
          await api.delete("/tenant", { token: user.accessToken, tenant: tenant.slug }),
          403,
          "PERMISSION_DENIED",
        );
      }
      expect(await expectStatus(await api.get("/tenant", { token: owner.accessToken, tenant: tenant.slug }), 200)).toEqual(
        tenant,
      );
    });

    it("deletes the tenant with everything it owned, reports what went, and frees the slug", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      const as = { token: owner.accessToken, tenant: tenant.slug };
      const member = await registerMember(server, owner.accessToken, tenant.slug, "member");
      const pending = await invite(server, owner.accessToken, tenant.slug, { email: `later-${uniqueSlug()}@example.test` });
      await expectStatus(await api.post("/tenant/domains", { domain: `${uniqueSlug("gone")}.example.com` }, as), 201);
      // Warm the resolver cache so deletion has to invalidate it.
      await expectStatus(await api.get("/tenant/public", { tenant: tenant.slug }), 200);
      await expectStatus(await api.get("/tenant/public", { tenant: tenant.id }), 200);

      const deleted = await expectStatus(await api.delete("/tenant", as), 200);
      expect(deleted).toEqual({ deleted: true, removed: { members: 2, domains: 1, invitations: 2, modules: 0 } });

      await expectApiError(await api.get("/tenant/public", { tenant: tenant.slug }), 404, "TENANT_NOT_FOUND");
      await expectApiError(await api.get("/tenant/public", { tenant: tenant.id }), 404, "TENANT_NOT_FOUND");
      await expectApiError(await api.get("/tenant", as), 404, "TENANT_NOT_FOUND");
      expect(await expectStatus(await api.get("/tenants", { token: owner.accessToken }), 200)).toEqual([]);
      expect(await expectStatus(await api.get("/tenants", { token: member.accessToken }), 200)).toEqual([]);
      const invitee = await register(server, { email: pending.invitation.email! });
      await expectApiError(
        await api.post("/invitations/accept", { token: pending.token }, { token: invitee.accessToken }),
        404,
        "INVITATION_NOT_FOUND",
      );
      // The slug can be used again, by anyone.
      const reborn = await createTenant(server, member.accessToken, { slug: tenant.slug });
      expect(reborn.id).not.toBe(tenant.id);
      expect(await expectStatus(await api.get("/tenant/public", { tenant: tenant.slug }), 200)).toMatchObject({ id: reborn.id });
    });
  });

  describe("POST /tenant/leave", () => {
    it("lets a member or an admin leave; afterwards they are no longer members", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      for (const role of ["member", "admin"] as const) {
        const user = await registerMember(server, owner.accessToken, tenant.slug, role);
        const as = { token: user.accessToken, tenant: tenant.slug };
        expect(await expectStatus(await api.post("/tenant/leave", {}, as), 200)).toEqual({ left: true });
        await expectApiError(await api.get("/tenant", as), 403, "NOT_A_MEMBER");
        await expectApiError(await api.post("/tenant/leave", {}, as), 403, "NOT_A_MEMBER");
        expect(await expectStatus(await api.get("/tenants", { token: user.accessToken }), 200)).toEqual([]);
      }
    });

    it("refuses the only owner (409 LAST_OWNER); once there is a second owner, an owner may leave", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      const as = { token: owner.accessToken, tenant: tenant.slug };
      await expectApiError(await api.post("/tenant/leave", {}, as), 409, "LAST_OWNER");
      expect(await expectStatus(await api.get("/tenant", as), 200)).toEqual(tenant);

      const second = await registerMember(server, owner.accessToken, tenant.slug, "owner");
      expect(await expectStatus(await api.post("/tenant/leave", {}, as), 200)).toEqual({ left: true });
      await expectApiError(
        await api.post("/tenant/leave", {}, { token: second.accessToken, tenant: tenant.slug }),
        409,
        "LAST_OWNER",
      );
    });
  });

  describe("GET /tenant/public", () => {
    it("needs no sign-in and shows only id, slug and name", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken, { name: "Public Face" });
      for (const reference of [tenant.slug, tenant.id]) {
        const res = await api.get("/tenant/public", { tenant: reference });
        expect(await expectStatus(res, 200)).toEqual({ id: tenant.id, slug: tenant.slug, name: "Public Face" });
      }
      // A token, even one of a stranger, changes nothing.
      const stranger = await register(server);
      const res = await api.get("/tenant/public", { tenant: tenant.slug, token: stranger.accessToken });
      expect(await expectStatus(res, 200)).toEqual({ id: tenant.id, slug: tenant.slug, name: "Public Face" });
    });
  });
});
