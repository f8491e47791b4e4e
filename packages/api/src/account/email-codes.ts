import { generateOneTimeCode, MailDeliveryError } from "@tenantry/auth";
import { EmailUnavailableError, type Context, type RateLimiter, type RateLimitRule } from "@tenantry/api-core";
import type { MessageLocale } from "../messages/message-locale.ts";
import { renderMessage } from "../messages/render-message.ts";

/**
 * Which of an account's mailed-code quotas a code counts towards. A code the user asks for
 * (verification, email change) counts towards one a minute and five per ten minutes.
 * Registration's own code counts only towards the five, so whoever did not get it can ask for
 * another at once.
 */
export type EmailCodeQuota = "requested" | "registration";

const rulesOf = {
  requested: ["emailCodePerUserMinute", "emailCodePerUser"],
  registration: ["emailCodePerUser"],
} as const satisfies Record<EmailCodeQuota, readonly RateLimitRule[]>;

/** Takes one from each of the quota's rules for `userId`; over a limit, takes nothing and throws RATE_LIMITED. */
export async function takeEmailCodeQuota(limiter: RateLimiter, userId: string, quota: EmailCodeQuota): Promise<void> {
  const taken: RateLimitRule[] = [];
  try {
    for (const rule of rulesOf[quota]) {
      await limiter.consume(rule, userId);
      taken.push(rule);
    }
  } catch (error) {
    for (const rule of taken) await limiter.refund(rule, userId);
    throw error;
  }
}

/** Gives back what `takeEmailCodeQuota` took, when no mail went out. */
export async function giveBackEmailCodeQuota(limiter: RateLimiter, userId: string, quota: EmailCodeQuota): Promise<void> {
  for (const rule of rulesOf[quota]) await limiter.refund(rule, userId);
}

/** The mails that carry nothing but a code for an account. */
export type MailedCodeKind = "emailVerificationCode" | "emailChangeCode";

/**
 * Mails a fresh code to `to` for the account `userId`, counted as a requested code, and returns
 * it for the caller to store. A mail server that fails gives the quota back and throws
 * EMAIL_UNAVAILABLE (503); the caller stores only what this returns, so a failure stores nothing.
 */
export async function mailRequestedCode(
  ctx: Pick<Context, "auth" | "log">,
  { userId, to, kind, locale }: { userId: string; to: string; kind: MailedCodeKind; locale: MessageLocale },
): Promise<string> {
  const { limiter } = ctx.auth;
  await takeEmailCodeQuota(limiter, userId, "requested");
  const code = generateOneTimeCode();
  try {
    await ctx.auth.mail.send({ to, ...renderMessage(kind, locale, { code }) });
  } catch (error) {
    if (!(error instanceof MailDeliveryError)) throw error;
    ctx.log.error({ err: error, provider: error.details.provider, kind }, "code mail failed");
    await giveBackEmailCodeQuota(limiter, userId, "requested");
    throw new EmailUnavailableError();
  }
  return code;
}
