import { randomUUID } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter, RateLimitedError } from "./rate-limiter.ts";

/**
 * The limits with Redis, and through a Redis outage: the real Redis on this machine, reached
 * through a TCP relay the test can cut, as a network partition or a Redis restart would.
 */
const redisPort = 6379;

function relayToRedis(): Promise<{ port: number; cut(): void; server: Server }> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(redisPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as { port: number }).port,
        server,
        cut: () => {
          cut = true;
          for (const socket of sockets) socket.destroy();
        },
      });
    });
  });
}

describe("rate limits through a Redis outage", () => {
  let relay: Awaited<ReturnType<typeof relayToRedis>>;
  let redis: Redis;

  beforeAll(async () => {
    relay = await relayToRedis();
    redis = new Redis(relay.port, "127.0.0.1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on("error", () => {});
    await redis.connect();
  });
  afterAll(async () => {
    redis.disconnect();
    await new Promise((resolve) => relay.server.close(resolve));
  });

  it("keeps a lockout decided before the outage, and goes on counting from where Redis was", async () => {
    const limiter = createRateLimiter({ redis, keyPrefix: `test:${randomUUID()}:` });
    const lockedOut = `locked-${randomUUID()}@example.test`;
    const halfWay = `half-${randomUUID()}@example.test`;
    for (let i = 0; i < 10; i++) await limiter.consume("signInPerEmail", lockedOut);
    await expect(limiter.consume("signInPerEmail", lockedOut)).rejects.toBeInstanceOf(RateLimitedError);
    for (let i = 0; i < 7; i++) await limiter.consume("signInPerEmail", halfWay);

    relay.cut();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(redis.status).not.toBe("ready");

    // Redis is gone: the locked-out email gets no fresh set of guesses…
    await expect(limiter.consume("signInPerEmail", lockedOut)).rejects.toBeInstanceOf(RateLimitedError);
    // …and the other one has the three attempts Redis had left for it, not ten.
    for (let i = 0; i < 3; i++) await limiter.consume("signInPerEmail", halfWay);
    await expect(limiter.consume("signInPerEmail", halfWay)).rejects.toBeInstanceOf(RateLimitedError);
    // A key never seen before counts from zero in memory meanwhile.
    await expect(limiter.consume("signInPerEmail", `new-${randomUUID()}@example.test`)).resolves.toBeUndefined();
  });
});

describe("the points multiplier", () => {
  it("multiplies every rule's points, and the default keeps the rules as written", async () => {
    const key = `user-${randomUUID()}`;
    // One code a minute per user, as written: the second is refused.
    const standard = createRateLimiter({ keyPrefix: "standard:" });
    await standard.consume("emailCodePerUserMinute", key);
    await expect(standard.consume("emailCodePerUserMinute", key)).rejects.toBeInstanceOf(RateLimitedError);
    // Three times the points: three a minute, the fourth refused.
    const raised = createRateLimiter({ keyPrefix: "raised:", pointsMultiplier: 3 });
    for (let i = 0; i < 3; i++) await raised.consume("emailCodePerUserMinute", key);
    await expect(raised.consume("emailCodePerUserMinute", key)).rejects.toBeInstanceOf(RateLimitedError);
  });
});
