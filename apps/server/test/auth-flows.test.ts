import { createClient, isTenantryError } from "@tenantry/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  expectApiError,
  expectStatus,
  phoneNumbers,
  registerByEmail,
  restClient,
  signInByEmail,
  strongPassword,
  uniqueEmail,
  wrongCode,
  type ErrorBody,
  type RestClient,
  type SignedIn,
} from "./support/accounts.ts";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "./support/fake-twilio.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function expectSignedInShape(body: SignedIn) {
  expect(body).toEqual({
    accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    accessTokenExpiresAt: expect.stringMatching(isoDate),
    refreshToken: expect.any(String),
    refreshTokenExpiresAt: expect.stringMatching(isoDate),
    sessionId: expect.stringMatching(uuid),
    isNewUser: expect.any(Boolean),
    user: {
      id: expect.stringMatching(uuid),
      phone: body.user.phone === null ? null : expect.any(String),
      email: body.user.email === null ? null : expect.any(String),
      // A new account has not proven its address yet.
      emailVerified: false,
      displayName: body.user.displayName === null ? null : expect.any(String),
      // Only what the user chose: signing in or up stores no language.
      locale: null,
      platformRole: "user",
      hasPassword: expect.any(Boolean),
      createdAt: expect.stringMatching(isoDate),
    },
  });
  expect(body.refreshToken.length).toBeGreaterThanOrEqual(32);
  expect(Date.parse(body.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
  expect(Date.parse(body.refreshTokenExpiresAt)).toBeGreaterThan(Date.parse(body.accessTokenExpiresAt));
}

describe.each(testBackends())("auth flows on $name", (backend) => {
  // Budget per server: 20 code requests per IP per 10 minutes, 10 registrations per IP per hour.
  // Each describe block below starts its own server and stays under both.

  describe("phone sign-in", () => {
    let twilio: FakeTwilio;
    let server: TestServer;
    let rest: RestClient;
    const nextPhone = phoneNumbers(1);
    let codeRequests = 0;
    const requestCode = (phone: string) => {
      codeRequests += 1;
      return rest.post("/auth/phone/request-code", { phone });
    };

    beforeAll(async () => {
      twilio = await startFakeTwilio();
      server = await startTestServer(backend, twilioEnv(twilio));
      rest = restClient(server);
    });
    afterAll(async () => {
      expect(codeRequests).toBeLessThan(20);
      await server?.stop();
      await twilio?.close();
    });

    it("answers a known and an unknown number identically, and signs both in", async () => {
      const known = nextPhone();
      const unknown = nextPhone();
      const existing = await server.db.prisma.user.create({ data: { phone: known, displayName: "Known" } });

      const forKnown = await requestCode(known);
      const forUnknown = await requestCode(unknown);
      expect(forKnown.status).toBe(200);
      expect(forUnknown.status).toBe(200);
      const knownBody = await forKnown.text();
      expect(JSON.parse(knownBody)).toEqual({ sent: true, expiresInSeconds: 300 });
      expect(await forUnknown.text()).toBe(knownBody);
      expect(twilio.messages.filter((m) => m.to === known)).toHaveLength(1);
      expect(twilio.messages.filter((m) => m.to === unknown)).toHaveLength(1);
      expect(twilio.messages.at(-1)).toMatchObject({ from: twilio.from, body: expect.stringContaining("sign in to") });

      const knownSignIn = await expectStatus<SignedIn>(
        await rest.post("/auth/phone/verify-code", { phone: known, code: twilio.lastCodeFor(known) }),
        200,
      );
      expectSignedInShape(knownSignIn);
      expect(knownSignIn).toMatchObject({
        isNewUser: false,
        user: { id: existing.id, phone: known, displayName: "Known", email: null, hasPassword: false },
      });

      const newSignIn = await expectStatus<SignedIn>(
        await rest.post("/auth/phone/verify-code", { phone: unknown, code: twilio.lastCodeFor(unknown) }),
        200,
      );
      expectSignedInShape(newSignIn);
      expect(newSignIn).toMatchObject({
        isNewUser: true,
        user: { phone: unknown, email: null, displayName: null, hasPassword: false, platformRole: "user" },
      });
      expect(await server.db.prisma.user.count({ where: { phone: unknown } })).toBe(1);

      const me = await expectStatus(await rest.get("/account", newSignIn.accessToken), 200);
      expect(me).toEqual(newSignIn.user);
    });

    it.each([
      ["a number without country code", "079 555 01 01"],
      ["an unassigned Swiss range", "+41 99 123 45 67"],
      ["too few digits", "+41 79 555 01"],
      ["letters", "+41 79 CALL ME"],
      ["an extension", "+41795550101 ext 5"],
      ["an empty string", ""],
      ["a 40-digit string", `+${"1".repeat(40)}`],
    ])("refuses %s with 400 on the phone field", async (_label, phone) => {
      const before = twilio.messages.length;
      await expectApiError(await rest.post("/auth/phone/request-code", { phone }), 400, "VALIDATION_FAILED", "phone");
      expect(twilio.messages.length).toBe(before);
    });

    it("refuses a missing or non-string phone with 400", async () => {
      await expectApiError(await rest.post("/auth/phone/request-code", {}), 400, "VALIDATION_FAILED", "phone");
      await expectApiError(
        await rest.post("/auth/phone/request-code", { phone: 41795550101 }),
        400,
        "VALIDATION_FAILED",
        "phone",
      );
    });

    it("counts down wrong guesses and voids the code on the third", async () => {
      const phone = nextPhone();
      expect((await requestCode(phone)).status).toBe(200);
      const code = twilio.lastCodeFor(phone);
      const wrong = wrongCode(code);

      const first = await expectApiError(await rest.post("/auth/phone/verify-code", { phone, code: wrong }), 400, "CODE_INVALID");
      expect(first.message).toContain("2 tries left");
      const second = await expectApiError(
        await rest.post("/auth/phone/verify-code", { phone, code: wrong }),
        400,
        "CODE_INVALID",
      );
      expect(second.message).toContain("1 try left");
      const third = await expectApiError(await rest.post("/auth/phone/verify-code", { phone, code: wrong }), 400, "CODE_INVALID");
      expect(third.message).toContain("last try");

      // The right code no longer helps: the code is gone.
      await expectApiError(await rest.post("/auth/phone/verify-code", { phone, code }), 400, "CODE_INVALID");
      expect(await server.db.prisma.oneTimeCode.count({ where: { target: phone } })).toBe(0);
      expect(await server.db.prisma.user.count({ where: { phone } })).toBe(0);
    });

    it("lets only one of several simultaneous verifications with the right code through", async () => {
      const phone = nextPhone();
      expect((await requestCode(phone)).status).toBe(200);
      const code = twilio.lastCodeFor(phone);
      const results = await Promise.all(Array.from({ length: 4 }, () => rest.post("/auth/phone/verify-code", { phone, code })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
      const user = await server.db.prisma.user.findUniqueOrThrow({ where: { phone } });
      expect(await server.db.prisma.session.count({ where: { userId: user.id } })).toBe(1);
    });

    // Needs real concurrency: PGlite serves one query at a time, so only PostgreSQL can interleave.
    // PostgreSQL only: the interleaving is forced with a row lock from a second connection.
    if (backend.name === "postgres")
      it("evaluates at most three guesses per code, even when they arrive together", async () => {
        const phone = nextPhone();
        expect((await requestCode(phone)).status).toBe(200);
        const right = twilio.lastCodeFor(phone);
        const wrong = wrongCode(right);
        const guesses = 5;

        // Holding the code's row makes the guesses' attempt updates queue behind this transaction:
        // the interleaving that simultaneous requests produce by chance, every time.
        const locker = new pg.Client({ connectionString: server.database.options.url });
        locker.on("error", () => {});
        await locker.connect();
        let bodies: ErrorBody[];
        try {
          await locker.query("BEGIN");
          const locked = await locker.query("SELECT id FROM one_time_codes WHERE target = $1 FOR UPDATE", [phone]);
          expect(locked.rowCount).toBe(1);
          const pending = Array.from({ length: guesses }, () => rest.post("/auth/phone/verify-code", { phone, code: wrong }));
          const deadline = Date.now() + 5000;
          while (Date.now() < deadline) {
            // Activity statistics are a per-transaction snapshot: clear it to see the current state.
            await locker.query("SELECT pg_stat_clear_snapshot()");
            const waiting = await locker.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND state = 'active'",
            );
            if (waiting.rows[0]!.n >= guesses) break;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          await locker.query("ROLLBACK");
          bodies = (await Promise.all((await Promise.all(pending)).map((r) => r.json()))) as ErrorBody[];
        } finally {
          await locker.end();
        }

        expect(bodies.map((b) => b.data.appCode)).toEqual(Array(guesses).fill("CODE_INVALID"));
        // A guess compared with the code answers "N tries left" or "last try"; one refused without
        // comparing answers "wrong or has expired".
        const compared = bodies.filter((b) => /tries left|try left|last try/.test(b.message));
        expect(compared.length, `answers: ${JSON.stringify(bodies.map((b) => b.message))}`).toBeLessThanOrEqual(3);
        const row = await server.db.prisma.oneTimeCode.findFirst({ where: { target: phone } });
        expect(row === null || row.attempts <= 3).toBe(true);
        await expectApiError(await rest.post("/auth/phone/verify-code", { phone, code: right }), 400, "CODE_INVALID");
      });

    it("limits verification attempts per number", async () => {
      const phone = nextPhone();
      for (let i = 0; i < 10; i++) {
        const res = await rest.post("/auth/phone/verify-code", { phone, code: "000000" });
        expect({ attempt: i + 1, status: res.status }).toEqual({ attempt: i + 1, status: 400 });
      }
      const limited = await rest.post("/auth/phone/verify-code", { phone, code: "000000" });
      await expectApiError(limited, 429, "RATE_LIMITED");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    });

    it("refuses an expired code", async () => {
      const phone = nextPhone();
      expect((await requestCode(phone)).status).toBe(200);
      const code = twilio.lastCodeFor(phone);
      const updated = await server.db.prisma.oneTimeCode.updateMany({
        where: { target: phone },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expect(updated.count).toBe(1);
      const body = await expectApiError(await rest.post("/auth/phone/verify-code", { phone, code }), 400, "CODE_INVALID");
      expect(body.message).toMatch(/expired/);
      expect(await server.db.prisma.user.count({ where: { phone } })).toBe(0);
    });

    it("refuses a verification when no code was requested", async () => {
      await expectApiError(
        await rest.post("/auth/phone/verify-code", { phone: nextPhone(), code: "123456" }),
        400,
        "CODE_INVALID",
      );
    });

    it.each([["12345"], ["1234567"], ["abcdef"], ["12 345"], [""]])(
      "refuses the malformed code %j with 400 on the code field",
      async (code) => {
        await expectApiError(
          await rest.post("/auth/phone/verify-code", { phone: "+41795550199", code }),
          400,
          "VALIDATION_FAILED",
          "code",
        );
      },
    );

    it("binds a code to its phone number", async () => {
      const phone = nextPhone();
      const other = nextPhone();
      expect((await requestCode(phone)).status).toBe(200);
      const code = twilio.lastCodeFor(phone);
      await expectApiError(await rest.post("/auth/phone/verify-code", { phone: other, code }), 400, "CODE_INVALID");
      expect(await server.db.prisma.user.count({ where: { phone: other } })).toBe(0);
      // Trying it elsewhere did not burn it.
      const signedIn = await expectStatus<SignedIn>(await rest.post("/auth/phone/verify-code", { phone, code }), 200);
      expect(signedIn.user.phone).toBe(phone);
    });

    it("binds a code to its purpose: sign-in codes do not change phones, and back", async () => {
      const account = await registerByEmail(server);
      const phone = nextPhone();
      expect((await requestCode(phone)).status).toBe(200);
      const signInCode = twilio.lastCodeFor(phone);
      await expectApiError(
        await rest.post("/account/phone", { phone, code: signInCode }, account.accessToken),
        400,
        "CODE_INVALID",
      );
      expect((await server.db.prisma.user.findUniqueOrThrow({ where: { id: account.user.id } })).phone).toBeNull();
      // Still good for what it was sent for.
      const viaPhone = await expectStatus<SignedIn>(await rest.post("/auth/phone/verify-code", { phone, code: signInCode }), 200);
      expect(viaPhone.user.id).not.toBe(account.user.id);

      const target = nextPhone();
      codeRequests += 1;
      expect((await rest.post("/account/phone/request-code", { phone: target }, account.accessToken)).status).toBe(200);
      const changeCode = twilio.lastCodeFor(target);
      expect(twilio.messages.at(-1)?.body).toContain("confirm your new phone number");
      await expectApiError(await rest.post("/auth/phone/verify-code", { phone: target, code: changeCode }), 400, "CODE_INVALID");
      expect(await server.db.prisma.user.count({ where: { phone: target } })).toBe(0);
      const changed = await expectStatus(
        await rest.post("/account/phone", { phone: target, code: changeCode }, account.accessToken),
        200,
      );
      expect(changed).toMatchObject({ id: account.user.id, phone: target });
    });

    it("sends one code per number per minute and says when to retry", async () => {
      const phone = nextPhone();
      expect((await requestCode(phone)).status).toBe(200);
      const sent = twilio.messages.length;
      const again = await requestCode(phone.replace("+41", "0041"));
      const body = await expectApiError(again, 429, "RATE_LIMITED");
      expect(body.code).toBe("TOO_MANY_REQUESTS");
      const retryAfter = Number(again.headers.get("retry-after"));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(body.message).toContain(`${retryAfter} s`);
      expect(twilio.messages.length).toBe(sent);
      // The first code is untouched by the refused request.
      expect((await rest.post("/auth/phone/verify-code", { phone, code: twilio.lastCodeFor(phone) })).status).toBe(200);
    });
  });

  describe("phone code limits over ten minutes", () => {
    let twilio: FakeTwilio;
    let server: TestServer;
    let rest: RestClient;

    beforeAll(async () => {
      twilio = await startFakeTwilio();
      server = await startTestServer(backend, twilioEnv(twilio));
      rest = restClient(server);
    });
    afterAll(async () => {
      vi.useRealTimers();
      await server?.stop();
      await twilio?.close();
    });

    it("sends at most five codes per number in ten minutes", async () => {
      const phone = "+41795550150";
      const start = Date.now();
      // Only the clock is faked (the server runs in this process); timers and I/O stay real.
      vi.useFakeTimers({ toFake: ["Date"], now: start, shouldAdvanceTime: true });
      try {
        for (let i = 0; i < 5; i++) {
          vi.setSystemTime(start + i * 61_000);
          const res = await rest.post("/auth/phone/request-code", { phone });
          expect({ attempt: i + 1, status: res.status }).toEqual({ attempt: i + 1, status: 200 });
        }
        vi.setSystemTime(start + 5 * 61_000);
        const sixth = await rest.post("/auth/phone/request-code", { phone });
        await expectApiError(sixth, 429, "RATE_LIMITED");
        // The ten-minute window, not the one-minute one, is what is left.
        const retryAfter = Number(sixth.headers.get("retry-after"));
        expect(retryAfter).toBeGreaterThan(240);
        expect(retryAfter).toBeLessThanOrEqual(600 - 5 * 61 + 5);
        expect(twilio.messages.filter((m) => m.to === phone)).toHaveLength(5);

        vi.setSystemTime(start + 601_000);
        expect((await rest.post("/auth/phone/request-code", { phone })).status).toBe(200);
        const code = twilio.lastCodeFor(phone);
        expect(twilio.messages.filter((m) => m.to === phone)).toHaveLength(6);
        const signedIn = await expectStatus<SignedIn>(await rest.post("/auth/phone/verify-code", { phone, code }), 200);
        expect(signedIn.user.phone).toBe(phone);
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe("email registration and sign-in", () => {
    let server: TestServer;
    let rest: RestClient;
    let registrations = 0;
    const register = (body: unknown) => {
      registrations += 1;
      return rest.post("/auth/email/register", body);
    };

    beforeAll(async () => {
      server = await startTestServer(backend);
      rest = restClient(server);
    });
    afterAll(async () => {
      expect(registrations).toBeLessThanOrEqual(10);
      await server?.stop();
    });

    it("registers, lower-cases the email, and signs in with any case", async () => {
      const local = uniqueEmail("Ada.Lovelace");
      const mixed = `  ${local.replace("@example.test", "@Example.TEST").toUpperCase()} `;
      const created = await expectStatus<SignedIn>(
        await register({ email: mixed, password: strongPassword, displayName: "  Ada Lovelace  " }),
        201,
      );
      expectSignedInShape(created);
      expect(created).toMatchObject({
        isNewUser: true,
        user: { email: local.toLowerCase(), phone: null, displayName: "Ada Lovelace", hasPassword: true },
      });
      const row = await server.db.prisma.user.findUniqueOrThrow({ where: { id: created.user.id } });
      expect(row.email).toBe(local.toLowerCase());
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain(strongPassword);

      const signedIn = await expectStatus<SignedIn>(
        await rest.post("/auth/email/sign-in", { email: local.toUpperCase(), password: strongPassword }),
        200,
      );
      expectSignedInShape(signedIn);
      expect(signedIn).toMatchObject({ isNewUser: false, user: { id: created.user.id } });
      expect(signedIn.sessionId).not.toBe(created.sessionId);

      // A second account with the same address in another case is refused.
      const duplicate = await expectApiError(
        await register({ email: local.toUpperCase(), password: "another-long-passphrase-7" }),
        409,
        "EMAIL_TAKEN",
        "email",
      );
      expect(duplicate.code).toBe("CONFLICT");
      expect(await server.db.prisma.user.count({ where: { email: local.toLowerCase() } })).toBe(1);
    });

    it.each([
      ["too short", "Sh0rt!x"],
      ["too long", "x".repeat(120) + "-tooLong!"],
      ["common (password1)", "password1"],
      ["common (qwerty123)", "qwerty123"],
      ["common in another case (PASSWORD1)", "PASSWORD1"],
      ["empty", ""],
    ])("refuses a %s password with 400 on the password field", async (_label, password) => {
      const email = uniqueEmail();
      const body = await expectApiError(
        await rest.post("/auth/email/register", { email, password }),
        400,
        "VALIDATION_FAILED",
        "password",
      );
      expect(body.data.issues).toHaveLength(1);
      expect(await server.db.prisma.user.count({ where: { email } })).toBe(0);
    });

    it("accepts passwords of exactly 8 and 128 characters", async () => {
      const eight = await expectStatus<SignedIn>(await register({ email: uniqueEmail(), password: "zq8#Lm2v" }), 201);
      expect(eight.user.hasPassword).toBe(true);
      const long = "Lm2v-".repeat(25) + "zq8"; // 128
      expect([...long]).toHaveLength(128);
      const maximal = await expectStatus<SignedIn>(await register({ email: uniqueEmail(), password: long }), 201);
      expect(maximal.user.hasPassword).toBe(true);
    });

    it.each([["not-an-email"], ["ada@"], ["@example.test"], ["ada example@example.test"], [""]])(
      "refuses the address %j with 400 on the email field",
      async (email) => {
        await expectApiError(
          await rest.post("/auth/email/register", { email, password: strongPassword }),
          400,
          "VALIDATION_FAILED",
          "email",
        );
      },
    );

    it("refuses a display name that is blank or too long", async () => {
      for (const displayName of ["   ", "x".repeat(101)]) {
        await expectApiError(
          await rest.post("/auth/email/register", { email: uniqueEmail(), password: strongPassword, displayName }),
          400,
          "VALIDATION_FAILED",
          "displayName",
        );
      }
    });

    it("gives one identical answer for a wrong password, an unknown email and a phone-only account", async () => {
      const account = await registerByEmail(server);
      registrations += 1;
      // An account that signs in by phone and has never set a password (its email came from elsewhere).
      const noPassword = await server.db.prisma.user.create({ data: { email: uniqueEmail("nopass"), phone: "+41795550161" } });

      const attempts = [
        { email: account.user.email!, password: "wrong-password-123" },
        { email: uniqueEmail("nobody"), password: strongPassword },
        { email: noPassword.email!, password: strongPassword },
      ];
      const bodies: ErrorBody[] = [];
      for (const attempt of attempts) {
        const res = await rest.post("/auth/email/sign-in", attempt);
        bodies.push(await expectApiError(res, 401, "INVALID_CREDENTIALS"));
        expect(res.headers.get("retry-after")).toBeNull();
      }
      const comparable = bodies.map((b) => ({ code: b.code, message: b.message, appCode: b.data.appCode, data: b.data }));
      expect(comparable[1]).toEqual(comparable[0]);
      expect(comparable[2]).toEqual(comparable[0]);
      expect(comparable[0]).toMatchObject({ code: "UNAUTHORIZED", appCode: "INVALID_CREDENTIALS" });
      expect(bodies[0]!.message).not.toMatch(/not found|no account|unknown|does not exist/i);
    });

    it("locks an email after ten sign-in attempts in a row, right password or not", async () => {
      const account = await registerByEmail(server);
      registrations += 1;
      const email = account.user.email!;
      for (let i = 0; i < 10; i++) {
        // Writing the address differently does not make it another address.
        const written = i % 2 === 0 ? email.toUpperCase() : `  ${email} `;
        const res = await rest.post("/auth/email/sign-in", { email: written, password: `wrong-${i}-password` });
        expect({ attempt: i + 1, status: res.status }).toEqual({ attempt: i + 1, status: 401 });
      }
      const locked = await rest.post("/auth/email/sign-in", { email, password: account.password });
      await expectApiError(locked, 429, "RATE_LIMITED");
      const retryAfter = Number(locked.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(60);
      expect(retryAfter).toBeLessThanOrEqual(900);

      // Another address from the same client is not affected.
      const other = await registerByEmail(server);
      registrations += 1;
      await signInByEmail(server, other.user.email!, other.password);
    });

    it("refuses a sign-in without a password, and over-long passwords, as input errors", async () => {
      await expectApiError(
        await rest.post("/auth/email/sign-in", { email: uniqueEmail(), password: "" }),
        400,
        "VALIDATION_FAILED",
        "password",
      );
      await expectApiError(
        await rest.post("/auth/email/sign-in", { email: uniqueEmail(), password: "x".repeat(513) }),
        400,
        "VALIDATION_FAILED",
        "password",
      );
      await expectApiError(
        await rest.post("/auth/email/sign-in", { email: "nope", password: strongPassword }),
        400,
        "VALIDATION_FAILED",
        "email",
      );
    });
  });

  describe("over tRPC and the SDK", () => {
    let server: TestServer;
    const trpcPost = (procedure: string, input: unknown, token?: string) =>
      fetch(`${server.url}/trpc/${procedure}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(input),
      });

    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("registers and signs in through /trpc with the same shapes and errors as REST", async () => {
      const email = uniqueEmail("trpc");
      const res = await trpcPost("auth.email.register", { email, password: strongPassword, displayName: "Grace" });
      expect(res.status).toBe(200);
      const created = ((await res.json()) as { result: { data: SignedIn } }).result.data;
      expectSignedInShape(created);
      expect(created.user).toMatchObject({ email, displayName: "Grace", hasPassword: true });

      const me = await fetch(`${server.url}/trpc/account.me`, { headers: { authorization: `Bearer ${created.accessToken}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { result: { data: unknown } }).result.data).toEqual(created.user);

      const duplicate = await trpcPost("auth.email.register", { email: email.toUpperCase(), password: strongPassword });
      expect(duplicate.status).toBe(409);
      expect(await duplicate.json()).toMatchObject({ error: { data: { appCode: "EMAIL_TAKEN", httpStatus: 409 } } });

      const weak = await trpcPost("auth.email.register", { email: uniqueEmail(), password: "qwerty123" });
      expect(weak.status).toBe(400);
      const weakBody = (await weak.json()) as { error: { message: string; data: ErrorBody["data"] } };
      expect(weakBody.error.data.appCode).toBe("VALIDATION_FAILED");
      expect(weakBody.error.data.issues?.map((i) => i.field)).toEqual(["password"]);
      expect(weakBody.error.message).toMatch(/^password: /);

      const wrong = await trpcPost("auth.email.signIn", { email, password: "not-the-password" });
      const unknown = await trpcPost("auth.email.signIn", { email: uniqueEmail(), password: "not-the-password" });
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      const [wrongBody, unknownBody] = (await Promise.all([wrong.json(), unknown.json()])) as Array<{ error: unknown }>;
      expect(unknownBody!.error).toEqual(wrongBody!.error);
      expect(wrongBody).toMatchObject({ error: { data: { appCode: "INVALID_CREDENTIALS" } } });

      const unauthenticated = await fetch(`${server.url}/trpc/account.me`);
      expect(unauthenticated.status).toBe(401);
      expect(await unauthenticated.json()).toMatchObject({ error: { data: { appCode: "UNAUTHENTICATED" } } });
    });

    it("signs up and reads the account with the SDK", async () => {
      let accessToken: string | undefined;
      const api = createClient({ url: server.url, token: () => accessToken });
      const email = uniqueEmail("sdk");

      const signedIn = await api.auth.email.register.mutate({ email: email.toUpperCase(), password: strongPassword });
      expect(signedIn.isNewUser).toBe(true);
      expect(signedIn.user.email).toBe(email);
      accessToken = signedIn.accessToken;

      const me = await api.account.me.query();
      expect(me).toEqual(signedIn.user);
      const renamed = await api.account.updateProfile.mutate({ displayName: "Ada via SDK" });
      expect(renamed).toMatchObject({ id: me.id, displayName: "Ada via SDK" });

      const again = await api.auth.email.signIn.mutate({ email, password: strongPassword });
      expect(again).toMatchObject({ isNewUser: false, user: { id: me.id, displayName: "Ada via SDK" } });

      const wrong = await api.auth.email.signIn.mutate({ email, password: "wrong-password-0" }).catch((e: unknown) => e);
      expect(isTenantryError(wrong)).toBe(true);
      if (!isTenantryError(wrong)) return;
      expect(wrong.data.appCode).toBe("INVALID_CREDENTIALS");
      expect(wrong.data.httpStatus).toBe(401);

      const taken = await api.auth.email.register.mutate({ email, password: strongPassword }).catch((e: unknown) => e);
      expect(isTenantryError(taken) && taken.data.appCode).toBe("EMAIL_TAKEN");

      accessToken = undefined;
      const signedOut = await api.account.me.query().catch((e: unknown) => e);
      expect(isTenantryError(signedOut) && signedOut.data.appCode).toBe("UNAUTHENTICATED");
    });
  });
});
