import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phoneNumbers, signInByPhone, wrongCode, type Profile } from "./support/accounts.ts";
import { startFakeSmtp, smtpEnv, type FakeSmtp } from "./support/fake-smtp.ts";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "./support/fake-twilio.ts";
import { uniqueEmail } from "./support/sign-up.ts";
import { expectApiError, expectStatus, register, tenantClient, tenantEnv, type TenantClient } from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * Changing the account's email address: a code mailed over SMTP to the new address (a real SMTP
 * server the test runs) comes back, and the address changes, verified. The old one stops
 * signing in; the password stays.
 */
describe.each(testBackends())("email change on $name", (backend) => {
  let server: TestServer;
  let smtp: FakeSmtp;
  let twilio: FakeTwilio;
  let api: TenantClient;
  // Block 65 of +41 79 555 65 NN: numbers no other suite uses.
  const nextPhone = phoneNumbers(65);

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    twilio = await startFakeTwilio();
    server = await startTestServer(backend, { ...tenantEnv(twilioEnv(twilio)), ...smtpEnv(smtp, 500) });
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
    await twilio?.close();
  });

  const registered = () => register(server, { mailbox: smtp });
  const requestCode = (token: string, email: unknown) => api.post("/account/email/request-code", { email }, { token });
  const confirm = (token: string, body: unknown) => api.post("/account/email", body, { token });
  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
  const signIn = (email: string, password: string) => api.post("/auth/email/sign-in", { email, password });

  it("mails a code to the new address; the code changes the address, verified; the old one no longer signs in", async () => {
    smtp.mode = "accept";
    const user = await registered();
    const newEmail = uniqueEmail("moved");
    // Written as people write it: the address is normalised as at registration.
    const sent = await expectStatus(await requestCode(user.accessToken, `  ${newEmail.toUpperCase()} `), 200);
    expect(sent).toEqual({ sent: true, expiresInSeconds: 300 });
    expect(mailsTo(newEmail)).toHaveLength(1);
    expect(mailsTo(newEmail)[0]!.raw).toMatch(/Subject: \d{6} is your code to confirm this address for Tenantry/);
    expect(mailsTo(newEmail)[0]!.raw).toContain("confirm this address for your Tenantry account");
    const code = smtp.lastCodeFor(newEmail);
    // Nothing changes until the code comes back.
    expect(await expectStatus<Profile>(await api.get("/account", { token: user.accessToken }), 200)).toMatchObject({
      email: user.email,
    });

    const changed = await expectStatus<Profile>(await confirm(user.accessToken, { email: newEmail, code }), 200);
    expect(changed).toEqual({ ...user.user, email: newEmail, emailVerified: true });
    expect(await expectStatus<Profile>(await api.get("/account", { token: user.accessToken }), 200)).toEqual(changed);

    await expectApiError(await signIn(user.email, user.password), 401, "INVALID_CREDENTIALS");
    const signedIn = await expectStatus<{ user: Profile }>(await signIn(newEmail, user.password), 200);
    expect(signedIn.user).toMatchObject({ id: user.user.id, email: newEmail, emailVerified: true });

    // Single use.
    await expectApiError(await confirm(user.accessToken, { email: newEmail, code }), 400, "CODE_INVALID");
  });

  it("records the change in the audit log with masked addresses", async () => {
    smtp.mode = "accept";
    const user = await registered();
    const newEmail = uniqueEmail("audited");
    await expectStatus(await requestCode(user.accessToken, newEmail), 200);
    await expectStatus(await confirm(user.accessToken, { email: newEmail, code: smtp.lastCodeFor(newEmail) }), 200);

    const events = await server.db.withOwner((owner) =>
      owner.auditEvent.findMany({ where: { action: "account.email_changed", actorId: user.user.id } }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenantId: null,
      actorType: "user",
      targetType: "user",
      targetId: user.user.id,
      details: { from: `${user.email[0]}•••@example.test`, to: `${newEmail[0]}•••@example.test` },
    });
    expect(JSON.stringify(events[0]!.details)).not.toContain(user.email);
    expect(JSON.stringify(events[0]!.details)).not.toContain(newEmail);
  });

  it("verifies the new address even when the old one never was, and an account made by phone adds its first", async () => {
    smtp.mode = "accept";
    const unverified = await register(server, { verifyEmail: false, mailbox: smtp });
    const newEmail = uniqueEmail("proven");
    await expectStatus(await requestCode(unverified.accessToken, newEmail), 200);
    expect(
      await expectStatus<Profile>(
        await confirm(unverified.accessToken, { email: newEmail, code: smtp.lastCodeFor(newEmail) }),
        200,
      ),
    ).toMatchObject({ email: newEmail, emailVerified: true });
    // Registration's verification code went to the old address and goes with it.
    expect(await server.db.prisma.oneTimeCode.count({ where: { target: unverified.email } })).toBe(0);

    const byPhone = await signInByPhone(server, twilio, nextPhone());
    expect(byPhone.user).toMatchObject({ email: null, emailVerified: false });
    const firstEmail = uniqueEmail("first");
    await expectStatus(await requestCode(byPhone.accessToken, firstEmail), 200);
    const added = await expectStatus<Profile>(
      await confirm(byPhone.accessToken, { email: firstEmail, code: smtp.lastCodeFor(firstEmail) }),
      200,
    );
    expect(added).toMatchObject({ id: byPhone.user.id, phone: byPhone.user.phone, email: firstEmail, emailVerified: true });
  });

  it("refuses an address another account uses with 409 EMAIL_TAKEN, and mails it nothing", async () => {
    smtp.mode = "accept";
    const user = await registered();
    const other = await registered();
    const before = mailsTo(other.email).length;
    const refused = await expectApiError(
      await requestCode(user.accessToken, other.email.toUpperCase()),
      409,
      "EMAIL_TAKEN",
      "email",
    );
    expect(refused.code).toBe("CONFLICT");
    expect(mailsTo(other.email)).toHaveLength(before);
  });

  it("refuses with 409 EMAIL_TAKEN when someone took the address after the code was sent", async () => {
    smtp.mode = "accept";
    const user = await registered();
    const contested = uniqueEmail("contested");
    await expectStatus(await requestCode(user.accessToken, contested), 200);
    const code = smtp.lastCodeFor(contested);
    await register(server, { email: contested, verifyEmail: false, mailbox: smtp });

    await expectApiError(await confirm(user.accessToken, { email: contested, code }), 409, "EMAIL_TAKEN", "email");
    expect(await expectStatus<Profile>(await api.get("/account", { token: user.accessToken }), 200)).toMatchObject({
      email: user.email,
      emailVerified: true,
    });
    const events = await server.db.withOwner((owner) =>
      owner.auditEvent.count({ where: { action: "account.email_changed", actorId: user.user.id } }),
    );
    expect(events).toBe(0);
  });

  it("refuses the account's own address with 409 EMAIL_UNCHANGED, and mails nothing", async () => {
    smtp.mode = "accept";
    const user = await registered();
    const before = mailsTo(user.email).length;
    const refused = await expectApiError(
      await requestCode(user.accessToken, ` ${user.email.toUpperCase()}`),
      409,
      "EMAIL_UNCHANGED",
      "email",
    );
    expect(refused.message).toContain("already the account's address");
    expect(mailsTo(user.email)).toHaveLength(before);
  });

  it("refuses a wrong code with 400 CODE_INVALID, a code for another address, and another account's code", async () => {
    smtp.mode = "accept";
    const alice = await registered();
    const mallory = await registered();
    const newEmail = uniqueEmail("wanted");
    await expectStatus(await requestCode(alice.accessToken, newEmail), 200);
    const code = smtp.lastCodeFor(newEmail);

    const wrong = await expectApiError(
      await confirm(alice.accessToken, { email: newEmail, code: wrongCode(code) }),
      400,
      "CODE_INVALID",
    );
    expect(wrong.message).toContain("2 tries left");
    await expectApiError(await confirm(alice.accessToken, { email: uniqueEmail("other"), code }), 400, "CODE_INVALID");
    await expectApiError(await confirm(mallory.accessToken, { email: newEmail, code }), 400, "CODE_INVALID");
    expect(await expectStatus<Profile>(await api.get("/account", { token: mallory.accessToken }), 200)).toMatchObject({
      email: mallory.email,
    });

    expect(await expectStatus<Profile>(await confirm(alice.accessToken, { email: newEmail, code }), 200)).toMatchObject({
      id: alice.user.id,
      email: newEmail,
    });
  });

  it("refuses a bad address with 400 naming `email`, a bad code naming `code`, and anonymous callers", async () => {
    smtp.mode = "accept";
    const user = await registered();
    const before = smtp.received.length;
    for (const email of ["not-an-email", "", 42, null, `${"a".repeat(250)}@example.test`]) {
      await expectApiError(await requestCode(user.accessToken, email), 400, "VALIDATION_FAILED", "email");
      await expectApiError(await confirm(user.accessToken, { email, code: "123456" }), 400, "VALIDATION_FAILED", "email");
    }
    await expectApiError(
      await api.post("/account/email/request-code", {}, { token: user.accessToken }),
      400,
      "VALIDATION_FAILED",
      "email",
    );
    await expectApiError(
      await confirm(user.accessToken, { email: uniqueEmail(), code: "12345" }),
      400,
      "VALIDATION_FAILED",
      "code",
    );
    expect(smtp.received.length).toBe(before);

    await expectApiError(await api.post("/account/email/request-code", { email: uniqueEmail() }), 401, "UNAUTHENTICATED");
    await expectApiError(await api.post("/account/email", { email: uniqueEmail(), code: "123456" }), 401, "UNAUTHENTICATED");
  });

  it("shares the verification codes' limits: one a minute", async () => {
    smtp.mode = "accept";
    const user = await register(server, { verifyEmail: false, mailbox: smtp });
    await expectStatus(await requestCode(user.accessToken, uniqueEmail("first")), 200);
    const limited = await requestCode(user.accessToken, uniqueEmail("second"));
    await expectApiError(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectApiError(
      await api.post("/account/email/verification/request-code", {}, { token: user.accessToken }),
      429,
      "RATE_LIMITED",
    );
  });

  it("answers 503 EMAIL_UNAVAILABLE when the mail server refuses, stores nothing, and gives the attempt back", async () => {
    const user = await registered();
    const newEmail = uniqueEmail("unreachable");
    smtp.mode = "refuse";
    await expectApiError(await requestCode(user.accessToken, newEmail), 503, "EMAIL_UNAVAILABLE");
    smtp.mode = "accept";
    expect(await server.db.prisma.oneTimeCode.count({ where: { target: newEmail } })).toBe(0);
    // Nothing was sent, so the one-a-minute quota is still there.
    await expectStatus(await requestCode(user.accessToken, newEmail), 200);
    await expectStatus(await confirm(user.accessToken, { email: newEmail, code: smtp.lastCodeFor(newEmail) }), 200);
  });
});
