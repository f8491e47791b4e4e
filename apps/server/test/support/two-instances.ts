import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createLogger, startServer } from "./server-under-test.ts";
import { tenantEnv } from "./tenants.ts";
import { startTestServer, testConfig, type TestBackend, type TestServer } from "./test-server.ts";

const redisUrl = "redis://127.0.0.1:6379";

export interface TwoInstances {
  a: TestServer;
  b: TestServer;
  stop(): Promise<void>;
}

/**
 * Two server instances on one PostgreSQL database (PGlite is one process's database), sharing a
 * Redis key prefix of their own: what a change on one must reach the other through. `env` sets
 * the caches' TTLs long, so only an invalidation can explain a change seen at once.
 */
export async function startTwoInstances(postgres: TestBackend, env: NodeJS.ProcessEnv): Promise<TwoInstances> {
  const prefix = `test:${randomUUID()}:`;
  const shared = tenantEnv({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, ...env });
  const a = await startTestServer(postgres, shared);
  const config = testConfig(a.database, shared);
  const running = await startServer(config, createLogger(config));
  // b is reached over its socket: only a's requests are served in-process.
  const b: TestServer = { ...running, config, database: a.database, inProcess: false, stop: () => running.close() };
  return {
    a,
    b,
    async stop() {
      await b.stop();
      await a.stop();
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
