import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSmtp, smtpEnv, type FakeSmtp } from "./support/fake-smtp.ts";
import { signUp, testPassword, uniqueEmail } from "./support/sign-up.ts";
import {
  createTenant,
  expectApiError,
  expectStatus,
  freshClientAddress,
  invite,
  register,
  tenantClient,
  tenantEnv,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * Proving an email address: a code mailed over SMTP (to a real SMTP server the test runs) comes
 * back. Accepting an email invitation needs it, since anyone can register any address.
 */
describe.each(testBackends())("email verification on $name", (backend) => {
  let server: TestServer;
  let smtp: FakeSmtp;
  let api: TenantClient;

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    server = await startTestServer(backend, { ...tenantEnv(), ...smtpEnv(smtp, 500) });
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  const requestCode = (token: string) => api.post("/account/email/verification/request-code", {}, { token });
  const verify = (token: string, code: string) => api.post("/account/email/verification", { code }, { token });

  it("mails a code over SMTP; the code verifies the address once; a wrong one does not", async () => {
    smtp.mode = "accept";
    const user = await register(server, { verifyEmail: false, mailbox: smtp });
    expect(
      await expectStatus<{ emailVerified: boolean }>(await api.get("/account", { token: user.accessToken }), 200),
    ).toMatchObject({
      emailVerified: false,
    });
    expect(await expectStatus(await requestCode(user.accessToken), 200)).toEqual({ sent: true, expiresInSeconds: 300 });
    const mail = smtp.received.filter((m) => m.to.includes(user.email)).at(-1)!;
    expect(mail.from).toBe("no-reply@tenantry.test");
    expect(mail.raw).toMatch(/Subject: \d{6} is your Tenantry verification code/);
    const code = smtp.lastCodeFor(user.email);

    const wrong = code === "000000" ? "111111" : "000000";
    await expectApiError(await verify(user.accessToken, wrong), 400, "CODE_INVALID");
    const verified = await expectStatus<{ emailVerified: boolean }>(await verify(user.accessToken, code), 200);
    expect(verified.emailVerified).toBe(true);
    expect(
      await expectStatus<{ emailVerified: boolean }>(await api.get("/account", { token: user.accessToken }), 200),
    ).toMatchObject({
      emailVerified: true,
    });
    await expectApiError(await requestCode(user.accessToken), 409, "EMAIL_ALREADY_VERIFIED");
    await expectApiError(await verify(user.accessToken, code), 409, "EMAIL_ALREADY_VERIFIED");
  });

  it("mails a code on registration, in the browser's language, after answering; the code verifies the address", async () => {
    smtp.mode = "accept";
    const email = uniqueEmail("registered");
    const registered = await expectStatus<{ accessToken: string; user: { emailVerified: boolean } }>(
      await api.post(
        "/auth/email/register",
        { email: email.toUpperCase(), password: testPassword },
        { headers: { "x-forwarded-for": freshClientAddress(), "accept-language": "en-GB,en;q=0.9" } },
      ),
      201,
    );
    expect(registered.user.emailVerified).toBe(false);
    // The mail goes out after the answer, to the address as registration normalised it.
    await expect.poll(() => smtp.received.filter((m) => m.to.includes(email)).length).toBe(1);
    const mail = smtp.received.find((m) => m.to.includes(email))!;
    expect(mail.raw).toMatch(/Subject: \d{6} is your Tenantry verification code/);

    const verified = await expectStatus<{ email: string; emailVerified: boolean }>(
      await verify(registered.accessToken, smtp.lastCodeFor(email)),
      200,
    );
    expect(verified).toMatchObject({ email, emailVerified: true });
  });

  it("lets a new account ask for another code at once, and registers even when the mail server refuses", async () => {
    smtp.mode = "accept";
    const user = await register(server, { verifyEmail: false, mailbox: smtp });
    // The registration mail does not count towards the one a minute.
    expect(await expectStatus(await requestCode(user.accessToken), 200)).toEqual({ sent: true, expiresInSeconds: 300 });
    expect(smtp.received.filter((m) => m.to.includes(user.email))).toHaveLength(2);
    // The code asked for replaced registration's.
    await expectStatus(await verify(user.accessToken, smtp.lastCodeFor(user.email)), 200);

    smtp.mode = "refuse";
    const unlucky = await signUp(server.url, { headers: { "x-forwarded-for": freshClientAddress() } });
    await expect.poll(() => smtp.refused).toContain(unlucky.email);
    smtp.mode = "accept";
    expect(smtp.received.filter((m) => m.to.includes(unlucky.email))).toHaveLength(0);
    await expectStatus(await requestCode(unlucky.accessToken), 200);
    await expectStatus(await verify(unlucky.accessToken, smtp.lastCodeFor(unlucky.email)), 200);
  });

  it("sends one code a minute per account", async () => {
    smtp.mode = "accept";
    const user = await register(server, { verifyEmail: false, mailbox: smtp });
    await expectStatus(await requestCode(user.accessToken), 200);
    const limited = await requestCode(user.accessToken);
    await expectApiError(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("answers 503 EMAIL_UNAVAILABLE when the mail server refuses or does not answer, and gives the attempt back", async () => {
    const user = await register(server, { verifyEmail: false, mailbox: smtp });
    smtp.mode = "refuse";
    await expectApiError(await requestCode(user.accessToken), 503, "EMAIL_UNAVAILABLE");
    smtp.mode = "hang";
    const started = Date.now();
    await expectApiError(await requestCode(user.accessToken), 503, "EMAIL_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(5_000);
    // Nothing was sent, so the one-a-minute quota is still there.
    smtp.mode = "accept";
    await expectStatus(await requestCode(user.accessToken), 200);
  });

  it("lets only a verified account accept an email invitation", async () => {
    smtp.mode = "accept";
    // This server mails to this file's SMTP server, not the shared test mailbox register() reads by default.
    const owner = await register(server, { verifyEmail: false, mailbox: smtp });
    const tenant = await createTenant(server, owner.accessToken);
    const invitee = await register(server, { verifyEmail: false, mailbox: smtp });
    const { token } = await invite(server, owner.accessToken, tenant.slug, { email: invitee.email, role: "member" });

    const refused = await expectApiError(
      await api.post("/invitations/accept", { token }, { token: invitee.accessToken }),
      403,
      "EMAIL_NOT_VERIFIED",
    );
    expect(refused.message).toContain("/account/email/verification");

    await expectStatus(await requestCode(invitee.accessToken), 200);
    await expectStatus(await verify(invitee.accessToken, smtp.lastCodeFor(invitee.email)), 200);
    expect(
      await expectStatus(await api.post("/invitations/accept", { token }, { token: invitee.accessToken }), 200),
    ).toMatchObject({
      tenantId: tenant.id,
      role: "member",
    });
  });
});
