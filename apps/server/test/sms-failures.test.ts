import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startServer } from "./support/server-under-test.ts";
import type { RunningServer } from "../src/server.ts";
import {
  expectApiError,
  expectStatus,
  phoneNumbers,
  registerByEmail,
  restClient,
  type RestClient,
  type SignedIn,
} from "./support/accounts.ts";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "./support/fake-twilio.ts";
import { testBackends, testConfig, type TestBackend } from "./support/test-server.ts";

type LogLine = Record<string, unknown> & { level: number; msg?: string };

interface LoggedServer extends RunningServer {
  /** Every log line the server wrote, parsed, oldest first. */
  lines: LogLine[];
  stop(): Promise<void>;
}

/**
 * Like `startTestServer`, but logging at `info` into memory so tests can read what the server
 * logged (console SMS, delivery failures).
 */
async function startLoggedServer(backend: TestBackend, overrides: NodeJS.ProcessEnv): Promise<LoggedServer> {
  const lines: LogLine[] = [];
  let partial = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      partial += chunk.toString();
      const complete = partial.split("\n");
      partial = complete.pop() ?? "";
      for (const line of complete) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  const database = await backend.create();
  let running: RunningServer;
  try {
    const config = testConfig(database, { LOG_LEVEL: "info", ...overrides });
    running = await startServer(config, pino({ level: "info" }, stream));
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...running,
    lines,
    stop: async () => {
      await running.close();
      await database.drop();
    },
  };
}

const smsUnavailableMessage = "The code could not be sent right now. Try again in a moment.";

describe.each(testBackends())("SMS delivery on $name", (backend) => {
  describe("when Twilio fails", () => {
    let twilio: FakeTwilio;
    let server: LoggedServer;
    let rest: RestClient;
    const nextPhone = phoneNumbers(41);
    let codeRequests = 0;
    const requestCode = (phone: string) => {
      codeRequests += 1;
      return rest.post("/auth/phone/request-code", { phone });
    };

    beforeAll(async () => {
      twilio = await startFakeTwilio();
      server = await startLoggedServer(backend, twilioEnv(twilio, 300));
      rest = restClient(server);
    });
    afterEach(() => {
      twilio.mode = "ok";
    });
    afterAll(async () => {
      expect(codeRequests).toBeLessThan(20);
      await server?.stop();
      await twilio?.close();
      // Whatever failed, the Twilio credentials and message bodies never reached the log.
      const log = server ? JSON.stringify(server.lines) : "";
      expect(log).not.toContain(twilio.authToken);
      expect(log).not.toContain("SMS (console provider)");
    });

    it("answers a Twilio error with 503, stores nothing, and gives the number's quota back", async () => {
      const phone = nextPhone();
      twilio.mode = "error";
      const failed = await requestCode(phone);
      const body = await expectApiError(failed, 503, "SMS_UNAVAILABLE");
      expect(body).toEqual({
        code: "SERVICE_UNAVAILABLE",
        message: smsUnavailableMessage,
        data: { appCode: "SMS_UNAVAILABLE", httpStatus: 503, path: "auth.phone.requestCode" },
      });
      expect(twilio.messages.filter((m) => m.to === phone)).toHaveLength(0);
      expect(await server.db.prisma.oneTimeCode.count({ where: { target: phone } })).toBe(0);

      const logged = server.lines.filter((l) => l.msg === "SMS delivery failed");
      expect(logged.at(-1)).toMatchObject({ level: 50, provider: "twilio", purpose: "sign_in" });
      expect(JSON.stringify(logged.at(-1))).toContain("21211");

      twilio.mode = "ok";
      const retried = await requestCode(phone);
      expect(retried.status).toBe(200);
      expect(await retried.json()).toEqual({ sent: true, expiresInSeconds: 300 });
      const signedIn = await expectStatus<SignedIn>(
        await rest.post("/auth/phone/verify-code", { phone, code: twilio.lastCodeFor(phone) }),
        200,
      );
      expect(signedIn).toMatchObject({ isNewUser: true, user: { phone } });
    });

    it("answers a Twilio timeout with 503 and gives the quota back", async () => {
      const phone = nextPhone();
      twilio.mode = "hang";
      await expectApiError(await requestCode(phone), 503, "SMS_UNAVAILABLE");
      expect(await server.db.prisma.oneTimeCode.count({ where: { target: phone } })).toBe(0);
      expect(server.lines.filter((l) => l.msg === "SMS delivery failed").at(-1)).toMatchObject({
        provider: "twilio",
        err: expect.objectContaining({ timedOut: true }),
      });

      twilio.mode = "ok";
      expect((await requestCode(phone)).status).toBe(200);
      expect(twilio.messages.filter((m) => m.to === phone)).toHaveLength(1);
      expect((await rest.post("/auth/phone/verify-code", { phone, code: twilio.lastCodeFor(phone) })).status).toBe(200);
    });

    it("never counts failed sends against the five-per-ten-minutes limit", async () => {
      const phone = nextPhone();
      twilio.mode = "error";
      for (let i = 0; i < 6; i++) {
        const res = await requestCode(phone);
        expect({ attempt: i + 1, status: res.status }).toEqual({ attempt: i + 1, status: 503 });
      }
      twilio.mode = "ok";
      expect((await requestCode(phone)).status).toBe(200);
      // The success, though, counts: the next request within the minute is limited.
      await expectApiError(await requestCode(phone), 429, "RATE_LIMITED");
    });

    it("keeps an earlier code valid when a later send fails", async () => {
      const phone = nextPhone();
      expect((await requestCode(phone)).status).toBe(200);
      const code = twilio.lastCodeFor(phone);
      const stored = await server.db.prisma.oneTimeCode.findFirstOrThrow({ where: { target: phone } });

      // A minute later (only the clock is faked; the server runs in this process) a new code is allowed…
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000, shouldAdvanceTime: true });
      try {
        twilio.mode = "error";
        await expectApiError(await requestCode(phone), 503, "SMS_UNAVAILABLE");
        twilio.mode = "hang";
        await expectApiError(await requestCode(phone), 503, "SMS_UNAVAILABLE");
        // …but it never arrived, so the first one still works.
        const unchanged = await server.db.prisma.oneTimeCode.findFirstOrThrow({ where: { target: phone } });
        expect(unchanged).toEqual(stored);
        const signedIn = await expectStatus<SignedIn>(await rest.post("/auth/phone/verify-code", { phone, code }), 200);
        expect(signedIn.user.phone).toBe(phone);
      } finally {
        vi.useRealTimers();
      }
      expect(twilio.messages.filter((m) => m.to === phone)).toHaveLength(1);
    });
  });

  describe("when Twilio fails for account codes", () => {
    let twilio: FakeTwilio;
    let server: LoggedServer;
    let rest: RestClient;
    const nextPhone = phoneNumbers(42);

    beforeAll(async () => {
      twilio = await startFakeTwilio();
      server = await startLoggedServer(backend, twilioEnv(twilio, 300));
      rest = restClient(server);
    });
    afterEach(() => {
      twilio.mode = "ok";
    });
    afterAll(async () => {
      await server?.stop();
      await twilio?.close();
    });

    it("answers 503 for phone-change codes, and the retry works", async () => {
      const account = await registerByEmail(server);
      const phone = nextPhone();
      twilio.mode = "error";
      await expectApiError(
        await rest.post("/account/phone/request-code", { phone }, account.accessToken),
        503,
        "SMS_UNAVAILABLE",
      );
      expect(server.lines.filter((l) => l.msg === "SMS delivery failed").at(-1)).toMatchObject({ purpose: "phone_change" });

      twilio.mode = "ok";
      expect((await rest.post("/account/phone/request-code", { phone }, account.accessToken)).status).toBe(200);
      const profile = await expectStatus(
        await rest.post("/account/phone", { phone, code: twilio.lastCodeFor(phone) }, account.accessToken),
        200,
      );
      expect(profile).toMatchObject({ id: account.user.id, phone });
    });

    it("answers 503 for deletion codes, and the retry works", async () => {
      const account = await registerByEmail(server);
      const phone = nextPhone();
      await server.db.prisma.user.update({ where: { id: account.user.id }, data: { phone } });
      twilio.mode = "hang";
      await expectApiError(await rest.post("/account/deletion/request-code", {}, account.accessToken), 503, "SMS_UNAVAILABLE");
      expect(server.lines.filter((l) => l.msg === "SMS delivery failed").at(-1)).toMatchObject({ purpose: "account_deletion" });

      twilio.mode = "ok";
      expect((await rest.post("/account/deletion/request-code", {}, account.accessToken)).status).toBe(200);
      expect(
        await expectStatus(await rest.post("/account/deletion", { code: twilio.lastCodeFor(phone) }, account.accessToken), 200),
      ).toEqual({ deleted: true });
      expect(await server.db.prisma.user.count({ where: { id: account.user.id } })).toBe(0);
    });
  });

  describe("with the console provider", () => {
    let server: LoggedServer;
    let rest: RestClient;

    beforeAll(async () => {
      // SMS_PROVIDER unset: console is the default outside production.
      server = await startLoggedServer(backend, {});
      rest = restClient(server);
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("logs the code, which then signs in", async () => {
      const phone = "+41795554301";
      expect(await expectStatus(await rest.post("/auth/phone/request-code", { phone: "+41 79 555 43 01" }), 200)).toEqual({
        sent: true,
        expiresInSeconds: 300,
      });
      const smsLines = server.lines.filter((l) => l.msg === "SMS (console provider)");
      expect(smsLines).toHaveLength(1);
      const line = smsLines[0]! as LogLine & { sms: { to: string; body: string } };
      expect(line.level).toBe(30);
      expect(line.sms.to).toBe(phone);
      expect(line.sms.body).toMatch(/^\d{6} is your code to sign in to Tenantry\./);
      const code = /\b(\d{6})\b/.exec(line.sms.body)![1]!;

      const signedIn = await expectStatus<SignedIn>(await rest.post("/auth/phone/verify-code", { phone, code }), 200);
      expect(signedIn).toMatchObject({ isNewUser: true, user: { phone } });
      expect(server.lines.some((l) => l.msg === "SMS delivery failed")).toBe(false);
    });
  });
});
