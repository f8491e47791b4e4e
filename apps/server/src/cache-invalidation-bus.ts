import { randomUUID } from "node:crypto";
import type { CacheInvalidation, InvalidationBus } from "@tenantry/api";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { logOncePerCause } from "./log-once.ts";

/**
 * Tenant-cache invalidations over Redis pub/sub, so a slug or domain change on one instance
 * takes effect on all of them at once. A lost message (Redis down) only delays the change until
 * the entry's TTL runs out.
 */
export function redisInvalidationBus(redis: Redis, channel: string, logger: Logger): { bus: InvalidationBus; close(): void } {
  const instance = randomUUID();
  // A subscribed connection can do nothing else; it keeps an offline queue so it resubscribes.
  const subscriber = redis.duplicate({ enableOfflineQueue: true });
  subscriber.on("error", logOncePerCause(logger, "warn", "tenant-cache invalidations: subscriber connection error"));
  const publishFailed = logOncePerCause(
    logger,
    "warn",
    "tenant-cache invalidation not published; other instances see the change when their entries expire",
  );
  const handlers: Array<(invalidation: CacheInvalidation) => void> = [];
  subscriber.on("message", (_channel: string, text: string) => {
    try {
      const message = JSON.parse(text) as { from: string; invalidation: CacheInvalidation };
      if (message.from !== instance) for (const handle of handlers) handle(message.invalidation);
    } catch (error) {
      logger.warn({ err: error }, "ignored a malformed tenant-cache invalidation");
    }
  });
  // Not awaited: with Redis down the subscription waits for it, and start-up must not.
  subscriber.subscribe(channel).catch((error: unknown) => {
    logger.warn({ err: error }, "tenant-cache invalidations not subscribed; entries expire by TTL meanwhile");
  });
  return {
    bus: {
      publish(invalidation) {
        redis.publish(channel, JSON.stringify({ from: instance, invalidation })).catch(publishFailed);
      },
      subscribe(handler) {
        handlers.push(handler);
      },
    },
    close: () => subscriber.disconnect(),
  };
}
