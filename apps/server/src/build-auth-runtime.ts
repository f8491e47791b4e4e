import { hkdfSync } from "node:crypto";
import {
  createAccessTokens,
  createConsoleMailProvider,
  createConsoleSmsProvider,
  createSmtpMailProvider,
  createPasswordHasher,
  createTwilioSmsProvider,
  passwordHashParameters,
  testPasswordHashParameters,
  type MailProvider,
  type PasswordHasher,
  type SmsProvider,
} from "@tenantry/auth";
import { createRateLimiter, type AuthRuntime, type RateLimitRule } from "@tenantry/api";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import { countingRefusals } from "./metrics/counted-rate-limiter.ts";

/** Separate keys for separate jobs, all from the one secret operators manage. */
function deriveKey(secret: string, purpose: string): string {
  return Buffer.from(hkdfSync("sha256", secret, "tenantry", purpose, 32)).toString("hex");
}

function createMailProvider(config: Config, logger: Logger): MailProvider {
  if (config.mail.provider === "smtp") return createSmtpMailProvider(config.mail);
  // Development: the message (and its code) shows up in the server's log.
  return createConsoleMailProvider((message) => logger.info({ mail: message }, "mail (console provider)"));
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

/** argon2id with the configured work factor (the test one is refused outside NODE_ENV=test). */
export function passwordHasherFor(config: Config): PasswordHasher {
  return createPasswordHasher(config.passwordHashing === "fast-for-tests" ? testPasswordHashParameters : passwordHashParameters);
}

export function createAuthRuntime(
  config: Config,
  logger: Logger,
  redis: Redis | undefined,
  passwords: PasswordHasher,
  onRateLimited: (rule: RateLimitRule) => void,
): AuthRuntime {
  return {
    accessTokens: createAccessTokens({
      secret: config.jwt.secret,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ttlSeconds: config.jwt.accessTtlSeconds,
    }),
    passwords,
    sms: createSmsProvider(config, logger),
    mail: createMailProvider(config, logger),
    limiter: countingRefusals(
      createRateLimiter({ redis, keyPrefix: config.redis.keyPrefix, pointsMultiplier: config.rateLimitMultiplier }),
      onRateLimited,
    ),
    codeSecret: deriveKey(config.jwt.secret, "one-time codes"),
    historySecret: deriveKey(config.jwt.secret, "deleted-account history"),
    now: () => new Date(),
  };
}
