import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAsAdmin } from "./support/accounts.ts";
import { testMailbox } from "./support/mailbox.ts";
import { uniqueEmail } from "./support/sign-up.ts";
import {
  expectApiError,
  expectStatus,
  register,
  seedAdminPassword,
  tenantClient,
  tenantEnv,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

const newPassword = "copper-meadow-lantern-84";

/** The code in the next message to `address` after `seen` messages to it; waits up to 5 s. */
async function nextCodeFor(address: string, seen: number): Promise<string> {
  const mailbox = await testMailbox();
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const mails = mailbox.received.filter((m) => m.to.includes(address));
    if (mails.length > seen) return mailbox.lastCodeFor(address);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no new mail to ${address} within 5 s`);
}

async function mailsTo(address: string): Promise<number> {
  return (await testMailbox()).received.filter((m) => m.to.includes(address)).length;
}

/**
 * A user who forgot their password gets back in with a code mailed to their verified address:
 * the same answer for any address, one use, a short life, and every old session signed out.
 */
describe.each(testBackends())("password reset by email on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const request = (email: string) => api.post("/auth/password-reset/request-code", { email });
  const reset = (body: unknown) => api.post("/auth/password-reset", body);

  it("resets with the mailed code, signs every session out, and the code works once", async () => {
    const user = await register(server);
    const seen = await mailsTo(user.email);
    expect(await expectStatus(await request(user.email), 200)).toEqual({ sent: true, expiresInSeconds: 300 });
    const code = await nextCodeFor(user.email, seen);

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    await expectApiError(await reset({ email: user.email, code: wrong, newPassword }), 400, "CODE_INVALID");
    expect(await expectStatus(await reset({ email: user.email, code, newPassword }), 200)).toEqual({
      reset: true,
      revokedSessions: 1,
    });
    await expectApiError(await reset({ email: user.email, code, newPassword }), 400, "CODE_INVALID");

    // The session from before is over, the old password no longer works, the new one does.
    await expectApiError(await api.post("/auth/refresh", { refreshToken: user.refreshToken }), 401, "REFRESH_TOKEN_INVALID");
    await expectApiError(
      await api.post("/auth/email/sign-in", { email: user.email, password: user.password }),
      401,
      "INVALID_CREDENTIALS",
    );
    await expectStatus(await api.post("/auth/email/sign-in", { email: user.email, password: newPassword }), 200);

    // Both are in the audit trail, as the account's own doing.
    const admin = (await signInAsAdmin(server, seedAdminPassword)).accessToken;
    const events = await expectStatus<{ items: Array<{ action: string; details: Record<string, unknown> }> }>(
      await api.get(`/admin/audit-events?actorId=${user.user.id}&platformOnly=true`, { token: admin }),
      200,
    );
    expect(events.items.map((e) => e.action)).toEqual(expect.arrayContaining(["auth.password_reset", "session.revoked"]));
    expect(events.items.find((e) => e.action === "session.revoked")?.details).toMatchObject({ reason: "password_reset" });
  });

  it("answers the same for an unknown or unverified address, and mails neither", async () => {
    const unknown = uniqueEmail("nobody");
    const unverified = await register(server, { verifyEmail: false });
    const before = await mailsTo(unverified.email);
    expect(await expectStatus(await request(unknown), 200)).toEqual({ sent: true, expiresInSeconds: 300 });
    expect(await expectStatus(await request(unverified.email), 200)).toEqual({ sent: true, expiresInSeconds: 300 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailsTo(unknown)).toBe(0);
    expect(await mailsTo(unverified.email)).toBe(before);
    // Without a code nothing can be reset.
    await expectApiError(await reset({ email: unverified.email, code: "123456", newPassword }), 400, "CODE_INVALID");
  });

  it("limits requests per address, and names the field of bad input", async () => {
    const email = uniqueEmail("limited");
    await expectStatus(await request(email), 200);
    await expectApiError(await request(email), 429, "RATE_LIMITED");
    await expectApiError(await request("not-an-address"), 400, "VALIDATION_FAILED", "email");
    await expectApiError(await reset({ email, code: "12ab56", newPassword }), 400, "VALIDATION_FAILED", "code");
    await expectApiError(
      await reset({ email, code: "123456", newPassword: "password" }),
      400,
      "VALIDATION_FAILED",
      "newPassword",
    );
  });
});
