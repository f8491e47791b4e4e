import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, uniqueEmail, type SignedIn, type SignedUp } from "./support/sign-up.ts";
import {
  accept,
  createTenant,
  expectApiError,
  expectStatus,
  invite,
  register,
  registerMember,
  seedAdminPassword,
  tenantClient,
  tenantEnv,
  uniqueSlug,
  type Invitation,
  type Plan,
  type Subscription,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

const day = 24 * 60 * 60 * 1000;

describe.each(testBackends())("plans and subscriptions over HTTP on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A fresh owner with a fresh tenant: nothing else counts against its seats. */
  async function ownTenant() {
    const owner = await register(server);
    const tenant = await createTenant(server, owner.accessToken);
    return { owner, tenant, as: { token: owner.accessToken, tenant: tenant.slug } };
  }

  const subscriptionOf = (as: { token: string; tenant: string }) =>
    api.get("/tenant/subscription", as).then((res) => expectStatus<Subscription>(res, 200));

  describe("GET /plans", () => {
    it("lists the public catalogue, cheapest first, to anyone", async () => {
      const plans = await expectStatus<Plan[]>(await api.get("/plans"), 200);
      expect(plans.map((p) => [p.code, p.limits.maxMembers, p.limits.modules])).toEqual([
        ["free", 3, []],
        ["pro", 25, ["shop"]],
        ["business", 250, ["shop"]],
      ]);
      expect(plans[0]).toEqual({
        code: "free",
        name: "Free",
        priceMinor: 0,
        currency: expect.any(String),
        limits: { maxMembers: 3, modules: [] },
      });
      expect(plans.map((p) => p.priceMinor)).toEqual([...plans.map((p) => p.priceMinor)].sort((a, b) => a - b));
      expect(plans[1]!.priceMinor).toBeGreaterThan(0);
      // The same for a signed-in caller.
      const user = await register(server);
      expect(await expectStatus(await api.get("/plans", { token: user.accessToken }), 200)).toEqual(plans);
    });
  });

  describe("the tenant's subscription", () => {
    it("starts on free, active, without a period end", async () => {
      const { as } = await ownTenant();
      const subscription = await subscriptionOf(as);
      expect(subscription).toEqual({
        plan: { code: "free", name: "Free", priceMinor: 0, currency: expect.any(String), limits: { maxMembers: 3, modules: [] } },
        status: "active",
        currentPeriodEnd: null,
        cancelAtPeriodEnd: false,
      });
    });

    it("is read by owners and admins; members get 403 PERMISSION_DENIED; sign-in and membership are required", async () => {
      const { owner, tenant, as } = await ownTenant();
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const member = await registerMember(server, owner.accessToken, tenant.slug, "member");
      const stranger = await register(server);
      expect(await subscriptionOf({ token: admin.accessToken, tenant: tenant.slug })).toEqual(await subscriptionOf(as));
      await expectApiError(
        await api.get("/tenant/subscription", { token: member.accessToken, tenant: tenant.slug }),
        403,
        "PERMISSION_DENIED",
      );
      await expectApiError(await api.get("/tenant/subscription", { tenant: tenant.slug }), 401, "UNAUTHENTICATED");
      await expectApiError(
        await api.get("/tenant/subscription", { token: stranger.accessToken, tenant: tenant.slug }),
        403,
        "NOT_A_MEMBER",
      );
    });

    it("is changed by owners only (admins and members: 403 PERMISSION_DENIED); a paid plan runs for a month", async () => {
      const { owner, tenant, as } = await ownTenant();
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const member = await registerMember(server, owner.accessToken, tenant.slug, "member");
      for (const user of [admin, member]) {
        await expectApiError(
          await api.patch("/tenant/subscription", { planCode: "pro" }, { token: user.accessToken, tenant: tenant.slug }),
          403,
          "PERMISSION_DENIED",
        );
      }
      expect((await subscriptionOf(as)).plan.code).toBe("free");

      const pro = await expectStatus<Subscription>(await api.patch("/tenant/subscription", { planCode: "pro" }, as), 200);
      expect(pro).toMatchObject({
        plan: { code: "pro", name: "Pro", limits: { maxMembers: 25, modules: ["shop"] } },
        status: "active",
        cancelAtPeriodEnd: false,
      });
      const periodEnd = Date.parse(pro.currentPeriodEnd!);
      expect(periodEnd).toBeGreaterThan(Date.now() + 29 * day);
      expect(periodEnd).toBeLessThan(Date.now() + 31 * day);
      expect(await subscriptionOf(as)).toEqual(pro);
      // Asking for the plan it already has changes nothing.
      expect(await expectStatus(await api.patch("/tenant/subscription", { planCode: "pro" }, as), 200)).toEqual(pro);
      // Back to free: nothing to pay, no period end.
      const free = await expectStatus<Subscription>(await api.patch("/tenant/subscription", { planCode: "free" }, as), 200);
      expect(free).toMatchObject({ plan: { code: "free" }, status: "active", currentPeriodEnd: null });
    });

    it("refuses an unknown plan (404 PLAN_NOT_FOUND) and a missing or empty plan code (400, field planCode)", async () => {
      const { as } = await ownTenant();
      await expectApiError(
        await api.patch("/tenant/subscription", { planCode: "platinum" }, as),
        404,
        "PLAN_NOT_FOUND",
        "planCode",
      );
      for (const body of [{}, { planCode: "" }, { planCode: "   " }, { planCode: "x".repeat(51) }]) {
        await expectApiError(await api.patch("/tenant/subscription", body, as), 400, "VALIDATION_FAILED", "planCode");
      }
      expect((await subscriptionOf(as)).plan.code).toBe("free");
    });
  });

  describe("plan limits", () => {
    it("on free (3 seats), two members and one pending invitation fill it: the next invitation is 403 PLAN_LIMIT_REACHED", async () => {
      const { owner, tenant, as } = await ownTenant();
      await registerMember(server, owner.accessToken, tenant.slug, "member");
      const pending = await invite(server, owner.accessToken, tenant.slug, { email: uniqueEmail("pending") });

      const body = await expectApiError(
        await api.post("/tenant/invitations", { email: uniqueEmail("one-too-many") }, as),
        403,
        "PLAN_LIMIT_REACHED",
      );
      expect(body.message).toContain("Free");
      expect(body.message).toContain("3 members");
      await expectApiError(await api.post("/tenant/invitations", { phone: "+41795557201" }, as), 403, "PLAN_LIMIT_REACHED");
      expect((await expectStatus<Invitation[]>(await api.get("/tenant/invitations", as), 200)).map((i) => i.id)).toEqual([
        pending.invitation.id,
      ]);

      // Revoking the pending invitation frees its seat.
      await expectStatus(await api.delete(`/tenant/invitations/${pending.invitation.id}`, as), 200);
      await expectStatus(await api.post("/tenant/invitations", { email: uniqueEmail("fits-now") }, as), 201);
      await expectApiError(
        await api.post("/tenant/invitations", { email: uniqueEmail("full-again") }, as),
        403,
        "PLAN_LIMIT_REACHED",
      );
      // An expired invitation gives its seat back too.
      await server.db.withOwner((db) =>
        db.invitation.updateMany({ where: { tenantId: tenant.id }, data: { expiresAt: new Date(Date.now() - 60_000) } }),
      );
      await expectStatus(await api.post("/tenant/invitations", { email: uniqueEmail("after-expiry") }, as), 201);
      // Upgrading makes room.
      await expectStatus(await api.patch("/tenant/subscription", { planCode: "pro" }, as), 200);
      await expectStatus(await api.post("/tenant/invitations", { email: uniqueEmail("on-pro") }, as), 201);
    });

    it("counts this tenant's seats only, whatever other tenants the owner or the invitee belong to", async () => {
      const { owner, tenant, as } = await ownTenant();
      // The owner and the invitee each belong to two other tenants.
      const invitee = await register(server);
      for (let i = 0; i < 2; i += 1) {
        await createTenant(server, owner.accessToken);
        await createTenant(server, invitee.accessToken);
      }
      const first = await invite(server, owner.accessToken, tenant.slug, { email: invitee.email });
      await expectStatus(await api.post("/tenant/invitations", { email: uniqueEmail("third-seat") }, as), 201);
      expect((await accept(server, invitee.accessToken, first.token)).tenantId).toBe(tenant.id);
      await expectApiError(
        await api.post("/tenant/invitations", { email: uniqueEmail("fourth") }, as),
        403,
        "PLAN_LIMIT_REACHED",
      );
    });

    // Regression (PostgreSQL): counting seats and inserting once raced; the tenant row is now locked.
    it("holds the seat limit when invitations arrive at the same moment", async () => {
      for (let round = 1; round <= 5; round += 1) {
        const { as } = await ownTenant();
        const statuses = await Promise.all(
          Array.from({ length: 6 }, () =>
            api.post("/tenant/invitations", { email: uniqueEmail("rush") }, as).then((res) => res.status),
          ),
        );
        const pending = await expectStatus<Invitation[]>(await api.get("/tenant/invitations", as), 200);
        expect({ round, statuses: statuses.sort(), pending: pending.length }).toEqual({
          round,
          statuses: [201, 201, 403, 403, 403, 403],
          pending: 2,
        });
      }
    });

    it("refuses a downgrade the tenant does not fit (409 PLAN_DOES_NOT_FIT) and says what to remove", async () => {
      const { owner, tenant, as } = await ownTenant();
      await expectStatus(await api.patch("/tenant/subscription", { planCode: "pro" }, as), 200);
      const members: SignedUp[] = [];
      for (let i = 0; i < 3; i += 1) members.push(await registerMember(server, owner.accessToken, tenant.slug, "member"));

      const body = await expectApiError(
        await api.patch("/tenant/subscription", { planCode: "free" }, as),
        409,
        "PLAN_DOES_NOT_FIT",
      );
      expect(body.message).toContain("Free");
      expect(body.message).toContain("4 members");
      expect(body.message).toContain("remove 1");
      expect((await subscriptionOf(as)).plan.code).toBe("pro");

      await expectStatus(await api.delete(`/tenant/members/${members[0]!.user.id}`, as), 200);
      expect(
        (await expectStatus<Subscription>(await api.patch("/tenant/subscription", { planCode: "free" }, as), 200)).plan.code,
      ).toBe("free");
    });

    it("counts pending invitations when checking a downgrade, so accepting can never exceed the plan", async () => {
      const { owner, tenant, as } = await ownTenant();
      await expectStatus(await api.patch("/tenant/subscription", { planCode: "pro" }, as), 200);
      await registerMember(server, owner.accessToken, tenant.slug, "member");
      await registerMember(server, owner.accessToken, tenant.slug, "member");
      const late = await register(server);
      const { token } = await invite(server, owner.accessToken, tenant.slug, { email: late.email });
      // Three members fit free, but the pending invitation holds a fourth seat.
      const body = await expectApiError(
        await api.patch("/tenant/subscription", { planCode: "free" }, as),
        409,
        "PLAN_DOES_NOT_FIT",
      );
      expect(body.message).toContain("3 members and 1 pending invitation");
      expect(body.message).toContain("remove 1");
      expect((await subscriptionOf(as)).plan.code).toBe("pro");
      // The invitation is untouched and still works on the plan the tenant kept.
      expect((await accept(server, late.accessToken, token)).tenantId).toBe(tenant.id);
    });
  });

  describe("platform admin override", () => {
    let admin: SignedIn;

    beforeAll(async () => {
      admin = await signIn(server.url, { email: "admin@tenantry.local", password: seedAdminPassword });
      expect(admin.user.platformRole).toBe("admin");
    });

    /** PATCH /admin/tenants/{tenant}/subscription, as the admin unless another token (or null: none) is given. */
    const override = (tenant: string, body: unknown, token: string | null = admin.accessToken) =>
      api.patch(`/admin/tenants/${encodeURIComponent(tenant)}/subscription`, body, { token: token ?? undefined });

    it("sets any tenant's plan and status, by slug or id, without being a member and skipping the fit check", async () => {
      const { owner, tenant, as } = await ownTenant();
      await expectStatus(await api.patch("/tenant/subscription", { planCode: "pro" }, as), 200);
      for (let i = 0; i < 3; i += 1) await registerMember(server, owner.accessToken, tenant.slug, "member");
      await expectApiError(await api.get("/tenant", { token: admin.accessToken, tenant: tenant.slug }), 403, "NOT_A_MEMBER");

      const periodEnd = new Date(Date.now() + 90 * day).toISOString();
      const set = await expectStatus<Subscription>(
        await override(tenant.slug, {
          planCode: "business",
          status: "past_due",
          currentPeriodEnd: periodEnd,
          cancelAtPeriodEnd: true,
        }),
        200,
      );
      expect(set).toMatchObject({
        plan: { code: "business", limits: { maxMembers: 250 } },
        status: "past_due",
        cancelAtPeriodEnd: true,
      });
      expect(Date.parse(set.currentPeriodEnd!)).toBe(Date.parse(periodEnd));
      expect(await subscriptionOf(as)).toEqual(set);

      // By id, and only the fields given change. Free does not fit four members; the admin may anyway.
      const byId = await expectStatus<Subscription>(await override(tenant.id, { planCode: "free", currentPeriodEnd: null }), 200);
      expect(byId).toMatchObject({ plan: { code: "free" }, status: "past_due", currentPeriodEnd: null, cancelAtPeriodEnd: true });
      expect(await subscriptionOf(as)).toEqual(byId);
      const statusOnly = await expectStatus<Subscription>(
        await override(tenant.id, { status: "canceled", cancelAtPeriodEnd: false }),
        200,
      );
      expect(statusOnly).toMatchObject({ plan: { code: "free" }, status: "canceled", cancelAtPeriodEnd: false });
      // Over the limit now, so the owner cannot invite anyone.
      await expectApiError(await api.post("/tenant/invitations", { email: uniqueEmail() }, as), 403, "PLAN_LIMIT_REACHED");
    });

    it("changes only the tenant it names", async () => {
      const a = await ownTenant();
      const b = await ownTenant();
      await expectStatus(await override(a.tenant.slug, { planCode: "business" }), 200);
      expect((await subscriptionOf(a.as)).plan.code).toBe("business");
      expect((await subscriptionOf(b.as)).plan.code).toBe("free");
    });

    it("is for platform admins only: 403 PLATFORM_ADMIN_ONLY for anyone else, tenant owners included; 401 without sign-in", async () => {
      const { owner, tenant, as } = await ownTenant();
      await expectApiError(await override(tenant.slug, { planCode: "business" }, owner.accessToken), 403, "PLATFORM_ADMIN_ONLY");
      await expectApiError(await override(tenant.slug, { planCode: "business" }, null), 401, "UNAUTHENTICATED");
      expect((await subscriptionOf(as)).plan.code).toBe("free");
    });

    it("refuses an unknown plan (404 PLAN_NOT_FOUND), an unknown tenant (404 TENANT_NOT_FOUND) and bad fields (400)", async () => {
      const { tenant, as } = await ownTenant();
      await expectApiError(await override(tenant.slug, { planCode: "platinum" }), 404, "PLAN_NOT_FOUND", "planCode");
      await expectApiError(await override(uniqueSlug("ghost"), { planCode: "pro" }), 404, "TENANT_NOT_FOUND");
      await expectApiError(await override(tenant.slug, { status: "suspended" }), 400, "VALIDATION_FAILED", "status");
      await expectApiError(await override(tenant.slug, { status: "ACTIVE" }), 400, "VALIDATION_FAILED", "status");
      await expectApiError(
        await override(tenant.slug, { currentPeriodEnd: "next tuesday" }),
        400,
        "VALIDATION_FAILED",
        "currentPeriodEnd",
      );
      await expectApiError(await override(tenant.slug, { planCode: "" }), 400, "VALIDATION_FAILED", "planCode");
      expect(await subscriptionOf(as)).toMatchObject({
        plan: { code: "free" },
        status: "active",
        currentPeriodEnd: null,
        cancelAtPeriodEnd: false,
      });
    });

    // Regression: trpc-to-openapi (coerceSchema) marks every input boolean as `coerce`, bodies
    // included, so "false" became true; inputs use strictBoolean() instead.
    it('reads cancelAtPeriodEnd as a JSON boolean: the string "false" is refused, not taken for true', async () => {
      const { tenant, as } = await ownTenant();
      const res = await override(tenant.slug, { cancelAtPeriodEnd: "false" });
      const outcome = {
        status: res.status,
        cancelAtPeriodEnd: ((await res.json()) as { cancelAtPeriodEnd?: boolean }).cancelAtPeriodEnd,
      };
      expect(outcome).toEqual({ status: 400, cancelAtPeriodEnd: undefined });
      expect((await subscriptionOf(as)).cancelAtPeriodEnd).toBe(false);
    });
  });
});
