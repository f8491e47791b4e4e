import { execFile } from "node:child_process";
import path from "node:path";
import type { RouterOutputs } from "@tenantry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phoneNumbers, signInAsAdmin, signInByPhone } from "./support/accounts.ts";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "./support/fake-twilio.ts";
import { cliCommand } from "./support/server-under-test.ts";
import { uniqueEmail } from "./support/sign-up.ts";
import {
  createTenant,
  expectApiError,
  expectStatus,
  register,
  seedAdminPassword,
  tenantClient,
  tenantEnv,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

type AdminUser = RouterOutputs["admin"]["users"]["get"];
type AdminUserPage = RouterOutputs["admin"]["users"]["search"];
type Overview = RouterOutputs["admin"]["overview"];

/**
 * What a platform operator does with accounts: find them, look at one, block and unblock, sign
 * one out everywhere, grant and withdraw platform admin (never the last), and see the platform
 * at a glance. Every change lands in the audit log.
 */
describe.each(testBackends())("platform administration of users on $name", (backend) => {
  let twilio: FakeTwilio;
  let server: TestServer;
  let api: TenantClient;
  let admin: { token: string; id: string };
  // Block 83 of +41 79 555 83 NN: numbers no other suite uses.
  const nextPhone = phoneNumbers(83);

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    // A phone signs in, then asks for a second code within the minute (one a minute otherwise).
    server = await startTestServer(backend, tenantEnv({ ...twilioEnv(twilio), RATE_LIMIT_MULTIPLIER: "2" }));
    api = tenantClient(server);
    const signedIn = await signInAsAdmin(server, seedAdminPassword);
    admin = { token: signedIn.accessToken, id: signedIn.user.id };
  });
  afterAll(async () => {
    await server?.stop();
    await twilio?.close();
  });

  const asAdmin = () => ({ token: admin.token });

  it("finds users by part of their address or name, and shows one with memberships and sessions", async () => {
    const user = await register(server, { email: uniqueEmail("findme"), displayName: "Ada Findable" });
    const tenant = await createTenant(server, user.accessToken);

    const byEmail = await expectStatus<AdminUserPage>(
      await api.get(`/admin/users?query=${user.email.slice(0, 12).toUpperCase()}`, asAdmin()),
      200,
    );
    expect(byEmail.items.map((u) => u.id)).toContain(user.user.id);
    const byName = await expectStatus<AdminUserPage>(await api.get("/admin/users?query=ada%20findable", asAdmin()), 200);
    expect(byName.items.map((u) => u.id)).toContain(user.user.id);
    const page = await expectStatus<AdminUserPage>(await api.get("/admin/users?limit=1", asAdmin()), 200);
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));

    const viewed = await expectStatus<AdminUser>(await api.get(`/admin/users/${user.user.id}`, asAdmin()), 200);
    expect(viewed).toMatchObject({
      id: user.user.id,
      email: user.email,
      emailVerified: true,
      hasPassword: true,
      platformRole: "user",
      blockedAt: null,
      memberships: [{ tenantId: tenant.id, slug: tenant.slug, role: "owner", status: "active" }],
    });
    expect(viewed.sessions.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(viewed)).not.toMatch(/passwordHash|argon2/);

    await expectApiError(await api.get("/admin/users/00000000-0000-4000-8000-000000000000", asAdmin()), 404, "USER_NOT_FOUND");
    await expectApiError(await api.get("/admin/users/not-a-uuid", asAdmin()), 400, "VALIDATION_FAILED", "userId");
    await expectApiError(await api.get("/admin/users", { token: user.accessToken }), 403, "PLATFORM_ADMIN_ONLY");
  });

  it("blocks: every session ends at once, sign-in is refused to whoever has the password; unblocking lets them back", async () => {
    const user = await register(server);
    const blocked = await expectStatus<AdminUser>(
      await api.post(`/admin/users/${user.user.id}/block`, { reason: "fraud report" }, asAdmin()),
      200,
    );
    expect(blocked).toMatchObject({ blockedAt: expect.any(String), blockedReason: "fraud report", sessions: [] });
    await expectApiError(await api.get("/account", { token: user.accessToken }), 401, "SESSION_REVOKED");
    await expectApiError(await api.post("/auth/refresh", { refreshToken: user.refreshToken }), 401, "REFRESH_TOKEN_INVALID");
    await expectApiError(
      await api.post("/auth/email/sign-in", { email: user.email, password: user.password }),
      403,
      "ACCOUNT_BLOCKED",
    );
    // Without the password, a blocked account looks like any other.
    await expectApiError(
      await api.post("/auth/email/sign-in", { email: user.email, password: `${user.password}-not` }),
      401,
      "INVALID_CREDENTIALS",
    );
    const blockedOnly = await expectStatus<AdminUserPage>(await api.get("/admin/users?blocked=true&limit=100", asAdmin()), 200);
    expect(blockedOnly.items.map((u) => u.id)).toContain(user.user.id);

    await expectStatus(await api.post(`/admin/users/${user.user.id}/unblock`, {}, asAdmin()), 200);
    await expectStatus(await api.post("/auth/email/sign-in", { email: user.email, password: user.password }), 200);

    await expectApiError(await api.post(`/admin/users/${admin.id}/block`, {}, asAdmin()), 409, "CANNOT_BLOCK_SELF");
    const events = await expectStatus<RouterOutputs["admin"]["auditEvents"]>(
      await api.get(`/admin/audit-events?action=admin.&platformOnly=true&limit=100`, asAdmin()),
      200,
    );
    const mine = events.items.filter((e) => e.targetId === user.user.id).map((e) => e.action);
    expect(mine).toEqual(["admin.user_unblocked", "admin.user_blocked"]);
  });

  it("refuses a blocked account's SMS sign-in too, once the code is right", async () => {
    const phone = nextPhone();
    const user = await signInByPhone(server, twilio, phone);
    await expectStatus(await api.post(`/admin/users/${user.user.id}/block`, {}, asAdmin()), 200);
    await expectStatus(await api.post("/auth/phone/request-code", { phone }), 200);
    const code = twilio.lastCodeFor(phone);
    await expectApiError(await api.post("/auth/phone/verify-code", { phone, code }), 403, "ACCOUNT_BLOCKED");
  });

  it("signs a user out everywhere without blocking them", async () => {
    const user = await register(server);
    expect(await expectStatus(await api.post(`/admin/users/${user.user.id}/sign-out-everywhere`, {}, asAdmin()), 200)).toEqual({
      revokedSessions: 1,
    });
    await expectApiError(await api.get("/account", { token: user.accessToken }), 401, "SESSION_REVOKED");
    await expectStatus(await api.post("/auth/email/sign-in", { email: user.email, password: user.password }), 200);
  });

  it("grants and withdraws platform admin, and never withdraws the last one", async () => {
    const user = await register(server);
    await expectApiError(await api.get("/admin/overview", { token: user.accessToken }), 403, "PLATFORM_ADMIN_ONLY");
    const granted = await expectStatus<AdminUser>(
      await api.post(`/admin/users/${user.user.id}/platform-role`, { role: "admin" }, asAdmin()),
      200,
    );
    expect(granted.platformRole).toBe("admin");
    // Checked on every request: the same token now reaches admin procedures.
    await expectStatus(await api.get("/admin/overview", { token: user.accessToken }), 200);
    // Two admins: the new one may step down; then the seeded one is the last, and may not.
    await expectStatus(
      await api.post(`/admin/users/${user.user.id}/platform-role`, { role: "user" }, { token: user.accessToken }),
      200,
    );
    await expectApiError(await api.get("/admin/overview", { token: user.accessToken }), 403, "PLATFORM_ADMIN_ONLY");
    await expectApiError(
      await api.post(`/admin/users/${admin.id}/platform-role`, { role: "user" }, asAdmin()),
      409,
      "LAST_PLATFORM_ADMIN",
    );
    await expectApiError(
      await api.post(`/admin/users/${user.user.id}/platform-role`, { role: "root" }, asAdmin()),
      400,
      "VALIDATION_FAILED",
      "role",
    );
  });

  it("shows the platform at a glance", async () => {
    const overview = await expectStatus<Overview>(await api.get("/admin/overview", asAdmin()), 200);
    expect(overview.users).toBeGreaterThanOrEqual(5);
    expect(overview.platformAdmins).toBe(1);
    expect(overview.tenantsByStatus.active).toBeGreaterThanOrEqual(1);
    expect(overview.tenantsByPlan.free).toBeGreaterThanOrEqual(1);
    expect(overview.signInsLastDay).toBeGreaterThanOrEqual(5);
    expect(Object.values(overview.modulesEnabled).every((n) => Number.isInteger(n))).toBe(true);
  });

  // The command line opens the database itself: PGlite serves one process, so PostgreSQL only.
  it.runIf(backend.name === "postgres")("grants platform admin from the command line, to an account that exists", async () => {
    const user = await register(server);
    // Asynchronously: this process serves the test server, which must go on answering meanwhile.
    const run = (who: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [...cliCommand("grant-admin"), who],
          {
            cwd: path.resolve(import.meta.dirname, ".."),
            env: { ...process.env, DATABASE_URL: server.config.database.url, NODE_ENV: "test", LOG_LEVEL: "silent" },
            encoding: "utf8",
            timeout: 60_000,
          },
          (error, stdout, stderr) =>
            resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
        );
      });
    const granted = await run(user.email);
    expect(granted.stdout).toContain("is now a platform admin");
    expect(granted.status).toBe(0);
    expect((await expectStatus<AdminUser>(await api.get(`/admin/users/${user.user.id}`, asAdmin()), 200)).platformRole).toBe(
      "admin",
    );
    const missing = await run(uniqueEmail("nobody"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("must sign up first");
    await expectStatus(await api.post(`/admin/users/${user.user.id}/platform-role`, { role: "user" }, asAdmin()), 200);
  });
});
