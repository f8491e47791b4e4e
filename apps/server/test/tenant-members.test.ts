import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignedUp } from "./support/sign-up.ts";
import {
  createTenant,
  expectApiError,
  expectStatus,
  join,
  listMembers,
  register,
  registerMember,
  rolesOf,
  tenantClient,
  tenantEnv,
  type Member,
  type Role,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

const roles: Role[] = ["owner", "admin", "member"];

type Operation = { kind: "change"; to: Role } | { kind: "remove" };
const operations: Operation[] = [...roles.map((to) => ({ kind: "change" as const, to })), { kind: "remove" }];

/**
 * The rules, written out independently of permissions.ts: members manage nobody; admins manage
 * admins and members but never touch, nor appoint, owners; owners manage everyone.
 */
function expectedOutcome(actor: Role, target: Role, op: Operation): { status: 200 } | { status: 403; appCode: string } {
  if (actor === "member") return { status: 403, appCode: "PERMISSION_DENIED" };
  if (actor === "admin" && (target === "owner" || (op.kind === "change" && op.to === "owner"))) {
    return { status: 403, appCode: "OWNER_ONLY" };
  }
  return { status: 200 };
}

const describeOp = (op: Operation) => (op.kind === "remove" ? "removes" : `makes ${op.to}`);

const matrix = roles.flatMap((actor) =>
  roles.flatMap((target) =>
    operations.map((op) => {
      const expected = expectedOutcome(actor, target, op);
      const outcome = expected.status === 200 ? "200" : `${expected.status} ${expected.appCode}`;
      return { name: `${actor} ${describeOp(op)} a ${target}: ${outcome}`, actor, target, op, expected };
    }),
  ),
);

describe.each(testBackends())("tenant members over HTTP on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("GET /tenant/members", () => {
    it("shows every member with role and contact details, to owners, admins and members alike", async () => {
      const owner = await register(server, { displayName: "Olga Owner" });
      const tenant = await createTenant(server, owner.accessToken);
      const admin = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const member = await registerMember(server, owner.accessToken, tenant.slug, "member");

      const expected = [
        {
          userId: owner.user.id,
          role: "owner",
          displayName: "Olga Owner",
          email: owner.email,
          phone: null,
          joinedAt: expect.any(String),
        },
        {
          userId: admin.user.id,
          role: "admin",
          displayName: null,
          email: admin.email,
          phone: null,
          joinedAt: expect.any(String),
        },
        {
          userId: member.user.id,
          role: "member",
          displayName: null,
          email: member.email,
          phone: null,
          joinedAt: expect.any(String),
        },
      ];
      for (const user of [owner, admin, member]) {
        const list = await listMembers(server, user.accessToken, tenant.slug);
        expect(list).toEqual(expected);
      }
      const [first, second, third] = await listMembers(server, owner.accessToken, tenant.slug);
      expect(Date.parse(first!.joinedAt)).toBeLessThanOrEqual(Date.parse(second!.joinedAt));
      expect(Date.parse(second!.joinedAt)).toBeLessThanOrEqual(Date.parse(third!.joinedAt));
    });

    it("needs a signed-in member", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      const stranger = await register(server);
      await expectApiError(await api.get("/tenant/members", { tenant: tenant.slug }), 401, "UNAUTHENTICATED");
      await expectApiError(
        await api.get("/tenant/members", { token: stranger.accessToken, tenant: tenant.slug }),
        403,
        "NOT_A_MEMBER",
      );
    });

    // A user sees their own memberships across tenants (for "my tenants"), but never inside a tenant.
    it("lists this tenant's members only, even when the caller belongs to other tenants too", async () => {
      const owner = await register(server);
      const first = await createTenant(server, owner.accessToken);
      const second = await createTenant(server, owner.accessToken);
      const colleague = await registerMember(server, owner.accessToken, second.slug, "member");

      const list = await listMembers(server, owner.accessToken, first.slug);
      expect(list.map((m) => [m.userId, m.role])).toEqual([[owner.user.id, "owner"]]);
      // The colleague (a member of the second tenant only) sees only the second tenant's people.
      const theirs = await listMembers(server, colleague.accessToken, second.slug);
      expect(theirs.map((m) => m.userId)).toEqual([owner.user.id, colleague.user.id]);
    });
  });

  describe("who may change whom (actor × target × operation)", () => {
    // One founder, one actor and one target, reused by every case; each case gets a tenant of its
    // own. Tenants go on the business plan first so that seats never get in the way of the rules.
    let founder: SignedUp;
    let actor: SignedUp;
    let target: SignedUp;

    beforeAll(async () => {
      founder = await register(server, { displayName: "Founder" });
      actor = await register(server, { displayName: "Actor" });
      target = await register(server, { displayName: "Target" });
    });

    it.each(matrix)("$name", async ({ actor: actorRole, target: targetRole, op, expected }) => {
      const tenant = await createTenant(server, founder.accessToken);
      const asFounder = { token: founder.accessToken, tenant: tenant.slug };
      await expectStatus(await api.patch("/tenant/subscription", { planCode: "business" }, asFounder), 200);
      await join(server, founder.accessToken, tenant.slug, actor, actorRole);
      await join(server, founder.accessToken, tenant.slug, target, targetRole);

      const as = { token: actor.accessToken, tenant: tenant.slug };
      const res =
        op.kind === "change"
          ? await api.patch(`/tenant/members/${target.user.id}`, { role: op.to }, as)
          : await api.delete(`/tenant/members/${target.user.id}`, as);

      const after = await rolesOf(server, founder.accessToken, tenant.slug);
      expect(after[founder.user.id]).toBe("owner");
      expect(after[actor.user.id]).toBe(actorRole);
      if (expected.status === 200) {
        if (op.kind === "change") {
          expect(await expectStatus(res, 200)).toEqual({ userId: target.user.id, role: op.to });
          expect(after[target.user.id]).toBe(op.to);
        } else {
          expect(await expectStatus(res, 200)).toEqual({ removed: true });
          expect(after[target.user.id]).toBeUndefined();
          await expectApiError(await api.get("/tenant", { token: target.accessToken, tenant: tenant.slug }), 403, "NOT_A_MEMBER");
        }
      } else {
        await expectApiError(res, expected.status, expected.appCode);
        expect(after[target.user.id]).toBe(targetRole);
      }
    });

    it("the table covers every actor, target and operation", () => {
      expect(matrix).toHaveLength(3 * 3 * 4);
      expect(matrix.filter((c) => c.expected.status === 200)).toHaveLength(4 * 3 + 2 * 3);
    });
  });

  describe("acting on oneself", () => {
    const selfCases: Array<{ role: Role; op: Operation; status: number; appCode?: string }> = [
      { role: "admin", op: { kind: "change", to: "member" }, status: 200 },
      { role: "admin", op: { kind: "change", to: "admin" }, status: 200 },
      { role: "admin", op: { kind: "change", to: "owner" }, status: 403, appCode: "OWNER_ONLY" },
      { role: "admin", op: { kind: "remove" }, status: 200 },
      { role: "member", op: { kind: "change", to: "admin" }, status: 403, appCode: "PERMISSION_DENIED" },
      { role: "member", op: { kind: "change", to: "owner" }, status: 403, appCode: "PERMISSION_DENIED" },
      { role: "member", op: { kind: "change", to: "member" }, status: 403, appCode: "PERMISSION_DENIED" },
      { role: "member", op: { kind: "remove" }, status: 403, appCode: "PERMISSION_DENIED" },
      // A second owner exists (the founder), so an owner may step down or go.
      { role: "owner", op: { kind: "change", to: "admin" }, status: 200 },
      { role: "owner", op: { kind: "remove" }, status: 200 },
    ];

    it.each(selfCases.map((c) => ({ ...c, name: `${c.role} ${describeOp(c.op)} themselves: ${c.status} ${c.appCode ?? ""}` })))(
      "$name",
      async ({ role, op, status, appCode }) => {
        const founder = await register(server);
        const tenant = await createTenant(server, founder.accessToken);
        const self = await registerMember(server, founder.accessToken, tenant.slug, role);
        const as = { token: self.accessToken, tenant: tenant.slug };
        const res =
          op.kind === "change"
            ? await api.patch(`/tenant/members/${self.user.id}`, { role: op.to }, as)
            : await api.delete(`/tenant/members/${self.user.id}`, as);
        const after = await rolesOf(server, founder.accessToken, tenant.slug);
        if (status === 200) {
          await expectStatus(res, 200);
          expect(after[self.user.id]).toBe(op.kind === "change" ? op.to : undefined);
        } else {
          await expectApiError(res, status, appCode!);
          expect(after[self.user.id]).toBe(role);
        }
      },
    );
  });

  describe("the last owner", () => {
    it("can neither be demoted, removed nor leave (409 LAST_OWNER); with a second owner each works", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      const as = { token: owner.accessToken, tenant: tenant.slug };
      for (const to of ["admin", "member"] as const) {
        await expectApiError(await api.patch(`/tenant/members/${owner.user.id}`, { role: to }, as), 409, "LAST_OWNER");
      }
      await expectApiError(await api.delete(`/tenant/members/${owner.user.id}`, as), 409, "LAST_OWNER");
      await expectApiError(await api.post("/tenant/leave", {}, as), 409, "LAST_OWNER");
      // Re-stating the role is not a demotion.
      expect(await expectStatus(await api.patch(`/tenant/members/${owner.user.id}`, { role: "owner" }, as), 200)).toEqual({
        userId: owner.user.id,
        role: "owner",
      });
      expect(await rolesOf(server, owner.accessToken, tenant.slug)).toEqual({ [owner.user.id]: "owner" });

      // A second owner; now the first may step down, and then the second is the last one.
      const second = await registerMember(server, owner.accessToken, tenant.slug, "owner");
      expect(await expectStatus(await api.patch(`/tenant/members/${owner.user.id}`, { role: "admin" }, as), 200)).toEqual({
        userId: owner.user.id,
        role: "admin",
      });
      const asSecond = { token: second.accessToken, tenant: tenant.slug };
      await expectApiError(await api.patch(`/tenant/members/${second.user.id}`, { role: "member" }, asSecond), 409, "LAST_OWNER");
      await expectApiError(await api.delete(`/tenant/members/${second.user.id}`, asSecond), 409, "LAST_OWNER");
      await expectApiError(await api.post("/tenant/leave", {}, asSecond), 409, "LAST_OWNER");
      // The demoted admin cannot take the crown back.
      await expectApiError(await api.patch(`/tenant/members/${owner.user.id}`, { role: "owner" }, as), 403, "OWNER_ONLY");
      await expectApiError(await api.patch(`/tenant/members/${second.user.id}`, { role: "admin" }, as), 403, "OWNER_ONLY");
      expect(await rolesOf(server, second.accessToken, tenant.slug)).toEqual({
        [owner.user.id]: "admin",
        [second.user.id]: "owner",
      });
      // Promote, then remove: owners may remove owners while one remains.
      await expectStatus(await api.patch(`/tenant/members/${owner.user.id}`, { role: "owner" }, asSecond), 200);
      expect(await expectStatus(await api.delete(`/tenant/members/${owner.user.id}`, asSecond), 200)).toEqual({ removed: true });
      expect(await rolesOf(server, second.accessToken, tenant.slug)).toEqual({ [second.user.id]: "owner" });
    });

    // The owner count must be this tenant's, not include the caller's ownerships elsewhere.
    it("stays protected when that owner also owns another tenant", async () => {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken);
      await createTenant(server, owner.accessToken);
      const colleague = await registerMember(server, owner.accessToken, tenant.slug, "member");
      const as = { token: owner.accessToken, tenant: tenant.slug };

      await expectApiError(await api.patch(`/tenant/members/${owner.user.id}`, { role: "member" }, as), 409, "LAST_OWNER");
      await expectApiError(await api.post("/tenant/leave", {}, as), 409, "LAST_OWNER");
      const members = await listMembers(server, colleague.accessToken, tenant.slug);
      expect(members.filter((m) => m.role === "owner").map((m) => m.userId)).toEqual([owner.user.id]);
    });
  });

  describe("concurrent changes", () => {
    // Regression (PostgreSQL): counting owners and demoting once raced; the tenant row is now locked.
    it("two owners demoting each other at the same moment still leave one owner", async () => {
      for (let round = 1; round <= 6; round += 1) {
        const first = await register(server);
        const tenant = await createTenant(server, first.accessToken);
        const second = await registerMember(server, first.accessToken, tenant.slug, "owner");
        const statuses = await Promise.all([
          api.patch(`/tenant/members/${second.user.id}`, { role: "member" }, { token: first.accessToken, tenant: tenant.slug }),
          api.patch(`/tenant/members/${first.user.id}`, { role: "member" }, { token: second.accessToken, tenant: tenant.slug }),
        ]).then((responses) => responses.map((res) => res.status));
        const owners = (await listMembers(server, first.accessToken, tenant.slug)).filter((m) => m.role === "owner");
        expect({ round, succeeded: statuses.filter((s) => s === 200).length, owners: owners.length }).toEqual({
          round,
          succeeded: 1,
          owners: 1,
        });
      }
    });
  });

  describe("bad input and other tenants", () => {
    let owner: SignedUp;
    let tenant: Awaited<ReturnType<typeof createTenant>>;
    let member: SignedUp;

    beforeAll(async () => {
      owner = await register(server);
      tenant = await createTenant(server, owner.accessToken);
      member = await registerMember(server, owner.accessToken, tenant.slug, "member");
    });

    it("404 MEMBER_NOT_FOUND for anyone who is not a member here, even a member of another tenant", async () => {
      const otherOwner = await register(server);
      const other = await createTenant(server, otherOwner.accessToken);
      const as = { token: owner.accessToken, tenant: tenant.slug };
      for (const userId of [randomUUID(), otherOwner.user.id]) {
        await expectApiError(
          await api.patch(`/tenant/members/${userId}`, { role: "admin" }, as),
          404,
          "MEMBER_NOT_FOUND",
          "userId",
        );
        await expectApiError(await api.delete(`/tenant/members/${userId}`, as), 404, "MEMBER_NOT_FOUND", "userId");
      }
      // Naming the other tenant instead: not a member there.
      await expectApiError(
        await api.delete(`/tenant/members/${otherOwner.user.id}`, { token: owner.accessToken, tenant: other.slug }),
        403,
        "NOT_A_MEMBER",
      );
      expect(await rolesOf(server, otherOwner.accessToken, other.slug)).toEqual({ [otherOwner.user.id]: "owner" });
    });

    it("400 for a user id that is not a UUID and for an unknown or missing role", async () => {
      const as = { token: owner.accessToken, tenant: tenant.slug };
      await expectApiError(
        await api.patch("/tenant/members/not-a-uuid", { role: "admin" }, as),
        400,
        "VALIDATION_FAILED",
        "userId",
      );
      await expectApiError(await api.delete("/tenant/members/not-a-uuid", as), 400, "VALIDATION_FAILED", "userId");
      for (const role of ["superuser", "OWNER", "", 3]) {
        await expectApiError(
          await api.patch(`/tenant/members/${member.user.id}`, { role }, as),
          400,
          "VALIDATION_FAILED",
          "role",
        );
      }
      await expectApiError(await api.patch(`/tenant/members/${member.user.id}`, {}, as), 400, "VALIDATION_FAILED", "role");
      expect((await rolesOf(server, owner.accessToken, tenant.slug))[member.user.id]).toBe("member");
    });

    it("a removed member loses access at once and no longer lists the tenant", async () => {
      const leaving = await registerMember(server, owner.accessToken, tenant.slug, "admin");
      const as = { token: leaving.accessToken, tenant: tenant.slug };
      expect((await expectStatus<Member[]>(await api.get("/tenant/members", as), 200)).length).toBe(3);
      await expectStatus(
        await api.delete(`/tenant/members/${leaving.user.id}`, { token: owner.accessToken, tenant: tenant.slug }),
        200,
      );
      await expectApiError(await api.get("/tenant/members", as), 403, "NOT_A_MEMBER");
      await expectApiError(await api.patch(`/tenant/members/${member.user.id}`, { role: "admin" }, as), 403, "NOT_A_MEMBER");
      expect(await expectStatus(await api.get("/tenants", { token: leaving.accessToken }), 200)).toEqual([]);
    });
  });
});
