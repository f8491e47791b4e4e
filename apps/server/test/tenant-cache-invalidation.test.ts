import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { startServer } from "../src/server.ts";
import { call, createTenant, register, tenantEnv, uniqueSlug } from "./support/tenants.ts";
import { startTestServer, testBackends, testConfig, type TestServer } from "./support/test-server.ts";

const redisUrl = "redis://127.0.0.1:6379";

// Two instances on one database (PostgreSQL: PGlite is one process's database). Both cache
// tenants for ten minutes, so only an invalidation can explain a change seen at once.
const postgres = testBackends().find((b) => b.name === "postgres");

describe.runIf(postgres)("tenant cache invalidation across instances (PostgreSQL + Redis)", () => {
  const prefix = `test:${randomUUID()}:`;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    const env = tenantEnv({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, TENANT_CACHE_TTL_MS: "600000" });
    a = await startTestServer(postgres!, env);
    // The second instance serves the first one's database.
    const config = testConfig(a.database, env);
    const running = await startServer(config, createLogger(config));
    b = { ...running, config, database: a.database, stop: () => running.close() };
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("a slug changed on one instance resolves on the other at once", async () => {
    const owner = await register(a);
    const tenant = await createTenant(a, owner.accessToken);
    const publicVia = (server: TestServer, slug: string) => call(server, "GET", "/tenant/public", { tenant: slug });

    // Warm instance B's cache with the old slug.
    expect((await publicVia(b, tenant.slug)).status).toBe(200);

    const renamed = uniqueSlug();
    const res = await call(a, "PATCH", "/tenant", { token: owner.accessToken, tenant: tenant.slug, body: { slug: renamed } });
    expect(res.status).toBe(200);

    await expect.poll(async () => (await publicVia(b, tenant.slug)).status, { timeout: 10_000 }).toBe(404);
    expect((await publicVia(b, renamed)).status).toBe(200);
  });
});
