import { hkdfSync } from "node:crypto";
import {
  createAccessTokens,
  createConsoleSmsProvider,
  createTwilioSmsProvider,
  type SmsProvider,
} from "@tenantry/auth";
import { createRateLimiter, type AuthRuntime } from "@tenantry/api";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "./config.ts";

/** Separate keys for separate jobs, all from the one secret operators manage. */
function deriveKey(secret: string, purpose: string): string {
  return Buffer.from(hkdfSync("sha256", secret, "tenantry", purpose, 32)).toString("hex");
}

function createSmsProvider(config: Config, logger: Logger): SmsProvider {
  if (config.sms.provider === "twilio") {
    return createTwilioSmsProvider({
      accountSid: config.sms.accountSid,
      authToken: config.sms.authToken,
      from: config.sms.from,
      baseUrl: config.sms.baseUrl,
      timeoutMs: config.sms.timeoutMs,
    });
  }
  // Development: the code shows up in the server's log instead of on a phone.
  return createConsoleSmsProvider((message) => logger.info({ sms: message }, "SMS (console provider)"));
}

/**
 * Redis for shared rate limits. Commands fail fast while it is down (no offline queue), so the
 * limiter falls back to memory at once; the log records each change of state, not every retry.
 */
function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let state: "up" | "down" | "unknown" = "unknown";
  redis.on("ready", () => {
    if (state !== "up") logger.info("Redis connected: rate limits are shared across instances");
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
async function firstConnection(redis: Redis, timeoutMs: number): Promise<void> {
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

export async function createAuthRuntime(
  config: Config,
  logger: Logger,
): Promise<{ runtime: AuthRuntime; close(): Promise<void> }> {
  const redis = config.redis.url ? connectRedis(config.redis.url, logger) : undefined;
  if (redis) await firstConnection(redis, 3000);
  const runtime: AuthRuntime = {
    accessTokens: createAccessTokens({
      secret: config.jwt.secret,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    }),
    sms: createSmsProvider(config, logger),
    limiter: createRateLimiter({ redis, keyPrefix: config.redis.keyPrefix }),
    codeSecret: deriveKey(config.jwt.secret, "one-time codes"),
    historySecret: deriveKey(config.jwt.secret, "deleted-account history"),
    now: () => new Date(),
  };
  return {
    runtime,
    close: async () => {
      if (redis) redis.disconnect();
    },
  };
}
