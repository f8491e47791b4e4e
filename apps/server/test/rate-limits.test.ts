import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./support/server-under-test.ts";
import type { RunningServer } from "../src/server.ts";
import { signUp, testPassword, uniqueEmail } from "./support/sign-up.ts";
import { startTestServer, testBackends, testConfig, type TestBackend, type TestServer } from "./support/test-server.ts";

const redisUrl = "redis://127.0.0.1:6379";

interface ErrorBody {
  data?: { appCode?: string; httpStatus?: number };
}

async function post(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as ErrorBody;
  return { status: res.status, appCode: json.data?.appCode, retryAfter: res.headers.get("retry-after"), body: json };
}

const requestCode = (baseUrl: string, phone: string, headers?: Record<string, string>) =>
  post(baseUrl, "/auth/phone/request-code", { phone }, headers);

/** 429 RATE_LIMITED whose Retry-After is a whole number of seconds in 1..`maxSeconds`. */
function expectRateLimited(res: Awaited<ReturnType<typeof post>>, maxSeconds: number) {
  expect({ status: res.status, appCode: res.appCode, httpStatus: res.body.data?.httpStatus }).toEqual({
    status: 429,
    appCode: "RATE_LIMITED",
    httpStatus: 429,
  });
  expect(res.retryAfter).toMatch(/^[1-9]\d*$/);
  expect(Number(res.retryAfter)).toBeLessThanOrEqual(maxSeconds);
}

/** A valid Swiss mobile number, different for each `n` below 10 000. */
const phone = (n: number) => `+4179555${String(n).padStart(4, "0")}`;

describe.each(testBackends())("rate limits in one process on $name", (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("allows ten sign-in attempts per email in 15 minutes; the 11th is refused even with the right password", async () => {
    const user = await signUp(server.url);
    // However the address is written, it is one account and one counter.
    const spellings = [
      user.email,
      user.email.toUpperCase(),
      `  ${user.email}  `,
      user.email.replace(/^./, (c) => c.toUpperCase()),
    ];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const res = await post(server.url, "/auth/email/sign-in", {
        email: spellings[attempt % spellings.length],
        password: `wrong-password-${attempt}`,
      });
      expect({ attempt, status: res.status, appCode: res.appCode }).toEqual({
        attempt,
        status: 401,
        appCode: "INVALID_CREDENTIALS",
      });
    }
    const eleventh = await post(server.url, "/auth/email/sign-in", { email: user.email, password: testPassword });
    expectRateLimited(eleventh, 900);
    expect(eleventh.body).not.toHaveProperty("accessToken");

    // Per email, not per server: another account signs in fine.
    const other = await signUp(server.url);
    const res = await post(server.url, "/auth/email/sign-in", { email: other.email, password: testPassword });
    expect(res.status).toBe(200);
  });

  it("limits unknown emails the same way, so the limiter does not reveal which accounts exist", async () => {
    const email = uniqueEmail("nobody");
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const res = await post(server.url, "/auth/email/sign-in", { email, password: testPassword });
      expect({ attempt, status: res.status, appCode: res.appCode }).toEqual({
        attempt,
        status: 401,
        appCode: "INVALID_CREDENTIALS",
      });
    }
    expectRateLimited(await post(server.url, "/auth/email/sign-in", { email, password: testPassword }), 900);
  });

  it("sends one code per phone per minute, however the number is written", async () => {
    const first = await requestCode(server.url, "+41 79 555 02 02");
    expect({ status: first.status, body: first.body }).toEqual({ status: 200, body: { sent: true, expiresInSeconds: 300 } });

    for (const sameNumber of ["+41795550202", "0041 79 555 02 02", "+41 (79) 555-02-02"]) {
      expectRateLimited(await requestCode(server.url, sameNumber), 60);
    }
    // The code that was sent is untouched by the refused requests.
    const codes = await server.db.prisma.oneTimeCode.findMany({ where: { target: "+41795550202" } });
    expect(codes).toHaveLength(1);

    expect((await requestCode(server.url, "+41 79 555 02 03")).status).toBe(200);

    // tRPC clients get the same 429 and the same header.
    const viaTrpc = await fetch(`${server.url}/trpc/auth.phone.requestCode`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "+41 79 555 02 02" }),
    });
    const body = (await viaTrpc.json()) as { error?: ErrorBody };
    expect({ status: viaTrpc.status, appCode: body.error?.data?.appCode }).toEqual({ status: 429, appCode: "RATE_LIMITED" });
    expect(viaTrpc.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(Number(viaTrpc.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  });

  it("allows ten code verifications per phone in 10 minutes, whether or not a code is pending", async () => {
    const number = phone(2001);
    expect((await requestCode(server.url, number)).status).toBe(200);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const res = await post(server.url, "/auth/phone/verify-code", { phone: number, code: "000000" });
      expect({ attempt, status: res.status, appCode: res.appCode }).toEqual({ attempt, status: 400, appCode: "CODE_INVALID" });
    }
    expectRateLimited(await post(server.url, "/auth/phone/verify-code", { phone: number, code: "000000" }), 600);
  });

  it("allows ten current-password checks per account in 15 minutes when changing the password", async () => {
    const user = await signUp(server.url);
    const change = (currentPassword: string) =>
      post(
        server.url,
        "/account/password",
        { currentPassword, newPassword: "tenantry-Other-pass-3k#" },
        { authorization: `Bearer ${user.accessToken}` },
      );
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const res = await change(`guess-${attempt}-not-it`);
      expect({ attempt, status: res.status, appCode: res.appCode }).toEqual({
        attempt,
        status: 401,
        appCode: "CURRENT_PASSWORD_WRONG",
      });
    }
    expectRateLimited(await change(testPassword), 900);
    // The refused change did not happen: the old password still signs in.
    const signIn = await post(server.url, "/auth/email/sign-in", { email: user.email, password: testPassword });
    expect(signIn.status).toBe(200);
  });

  describe("per client address", () => {
    // A server of its own, so no other test's requests count against this address.
    let fresh: TestServer;
    beforeAll(async () => {
      fresh = await startTestServer(backend);
    });
    afterAll(async () => {
      await fresh?.stop();
    });

    it("allows 20 code requests per IP in 10 minutes across different phones; the 21st is refused", async () => {
      for (let n = 0; n < 20; n += 1) {
        const res = await requestCode(fresh.url, phone(1000 + n));
        expect({ n, status: res.status }).toEqual({ n, status: 200 });
      }
      expectRateLimited(await requestCode(fresh.url, phone(1020)), 600);
      // Without a trusted proxy configured, a forged X-Forwarded-For is not a new client.
      expectRateLimited(await requestCode(fresh.url, phone(1021), { "x-forwarded-for": "203.0.113.77" }), 600);
      expectRateLimited(
        await requestCode(fresh.url, phone(1022), { forwarded: "for=198.51.100.4", "x-real-ip": "198.51.100.4" }),
        600,
      );

      // Refused requests sent nothing and stored nothing.
      expect(await fresh.db.prisma.oneTimeCode.count()).toBe(20);
    });

    it("allows ten registrations per IP an hour", async () => {
      for (let n = 0; n < 10; n += 1) await signUp(fresh.url);
      const eleventh = await post(fresh.url, "/auth/email/register", { email: uniqueEmail(), password: testPassword });
      expectRateLimited(eleventh, 3600);
      expectRateLimited(
        await post(
          fresh.url,
          "/auth/email/register",
          { email: uniqueEmail(), password: testPassword },
          { "x-forwarded-for": "203.0.113.78" },
        ),
        3600,
      );
    });
  });
});

interface LoggedServer extends RunningServer {
  /** Every log line so far, parsed. */
  logs(): Array<{ level: number; msg: string }>;
  /** Resolves once a line whose message contains `text` was logged (fails after 10 s). */
  waitForLog(text: string): Promise<void>;
  stop(): Promise<void>;
}

/** The real server with its logs captured in memory instead of silenced. */
async function startLoggedServer(backend: TestBackend, overrides: NodeJS.ProcessEnv): Promise<LoggedServer> {
  const database = await backend.create();
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  const config = testConfig(database, { LOG_LEVEL: "info", ...overrides });
  let running: RunningServer;
  try {
    running = await startServer(config, pino({ level: "info" }, stream));
  } catch (error) {
    await database.drop();
    throw error;
  }
  const logs = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string });
  return {
    ...running,
    logs,
    async waitForLog(text) {
      const deadline = Date.now() + 10_000;
      while (!logs().some((l) => l.msg.includes(text))) {
        if (Date.now() > deadline) throw new Error(`no log line containing "${text}" within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await running.close();
      await database.drop();
    },
  };
}

describe.each(testBackends())("rate limits across instances on $name", (backend) => {
  // Unique per run, so parallel runs and leftovers never share counters.
  const keyPrefix = `test:${randomUUID()}:`;
  let redis: Redis;
  const started: LoggedServer[] = [];
  const start = async (overrides: NodeJS.ProcessEnv = {}) => {
    const server = await startLoggedServer(backend, overrides);
    started.push(server);
    return server;
  };

  beforeAll(async () => {
    redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  afterAll(async () => {
    for (const server of started) await server.stop();
    if (redis) {
      const stream = redis.scanStream({ match: `${keyPrefix}*`, count: 100 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.del(...keys);
      }
      await redis.quit();
    }
  });

  it("shares the per-phone limit between two servers through Redis", async () => {
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix };
    const [a, b] = await Promise.all([start(env), start(env)]);
    await Promise.all([a.waitForLog("Redis connected"), b.waitForLog("Redis connected")]);

    const number = phone(3001);
    expect((await requestCode(a.url, number)).status).toBe(200);
    expectRateLimited(await requestCode(b.url, number), 60);
    expectRateLimited(await requestCode(a.url, number), 60);

    // The counter lives in Redis under the configured prefix.
    const keys = await redis.keys(`${keyPrefix}*`);
    const minuteKey = `${keyPrefix}rl:codeRequestPerPhoneMinute:${number}`;
    expect(keys).toContain(minuteKey);
    // …and expires with its window, so Redis does not fill up with old counters.
    const ttl = await redis.pttl(minuteKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("keeps limits per process without Redis (the contrast that shows the sharing above is real)", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const number = phone(3002);
    expect((await requestCode(a.url, number)).status).toBe(200);
    expect((await requestCode(b.url, number)).status).toBe(200);
    expectRateLimited(await requestCode(a.url, number), 60);
    expect(a.logs().some((l) => l.msg.includes("Redis"))).toBe(false);
  });

  it("falls back to in-memory limits, with a warning, when Redis is unreachable", async () => {
    // Nothing listens on port 1.
    const server = await start({ REDIS_URL: "redis://127.0.0.1:1", REDIS_KEY_PREFIX: keyPrefix });
    await server.waitForLog("Redis unreachable");
    const warning = server.logs().find((l) => l.msg.includes("Redis unreachable"));
    expect(warning?.level).toBe(40);

    const number = phone(3003);
    const first = await requestCode(server.url, number);
    expect({ status: first.status, body: first.body }).toEqual({ status: 200, body: { sent: true, expiresInSeconds: 300 } });
    expectRateLimited(await requestCode(server.url, number), 60);
    expect((await requestCode(server.url, phone(3004))).status).toBe(200);

    // One warning for the outage, not one per reconnect attempt or request.
    expect(server.logs().filter((l) => l.msg.includes("Redis unreachable"))).toHaveLength(1);
    expect(server.logs().some((l) => l.msg.includes("Redis connected"))).toBe(false);
  });
});
