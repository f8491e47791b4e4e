import type { AccessTokens, MailProvider, PasswordHasher, SmsProvider } from "@tenantry/auth";
import type { RateLimiter } from "../rate-limit/rate-limiter.ts";

/**
 * What authentication needs at run time, built once by the server from its config and shared
 * by every request.
 */
export interface AuthRuntime {
  accessTokens: AccessTokens;
  passwords: PasswordHasher;
  sms: SmsProvider;
  /** Mail to users: email verification codes. */
  mail: MailProvider;
  limiter: RateLimiter;
  /** HMAC key for one-time codes. */
  codeSecret: string;
  /** HMAC key for the phone/email hashes kept after an account is deleted. */
  historySecret: string;
  /** Injectable clock for expiry logic. */
  now: () => Date;
}

/** Lifetimes and limits from the accounts design. */
export const authPolicy = {
  sessionLifetimeMs: 30 * 24 * 60 * 60 * 1000,
  /** Two tabs refreshing with the same token inside this window are not treated as theft. */
  refreshReuseGraceMs: 10_000,
  codeLifetimeMs: 5 * 60 * 1000,
  codeMaxAttempts: 3,
} as const;
