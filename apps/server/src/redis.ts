import { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * The shared Redis connection (rate limits, cache invalidations). Commands fail fast while it
 * is down (no offline queue), so callers fall back at once; the log records each change of
 * state, not every retry.
 */
export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let state: "up" | "down" | "unknown" = "unknown";
  redis.on("ready", () => {
    if (state !== "up") logger.info("Redis connected: rate limits and tenant cache invalidations are shared across instances");
    state = "up";
  });
  redis.on("error", (error: Error) => {
    if (state !== "down") {
      logger.warn({ err: error }, "Redis unreachable: rate limits fall back to this process's memory");
    }
    state = "down";
  });
  return redis;
}

/**
 * Waits (briefly) for the first connection, so instances that start together share limits from
 * their first request instead of each counting alone until Redis answers.
 */
export async function firstConnection(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      redis.off("error", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once("ready", done);
    redis.once("error", done);
  });
}
