import { generateOneTimeCode, MailDeliveryError } from "@tenantry/auth";
import { BadInputError, ConflictError, EmailUnavailableError, type Actor, type Context } from "@tenantry/api-core";
import { consumeStoredCode, storeCode, type CodeSent } from "../auth/one-time-codes.ts";
import { chooseMessageLocale } from "../messages/message-locale.ts";
import { renderMessage } from "../messages/render-message.ts";
import { profileColumns, toProfile, type UserProfile } from "./user-profile.ts";

type AccountContext = Pick<Context, "db" | "auth" | "log" | "acceptLanguage">;

async function unverifiedEmailOf(ctx: AccountContext, actor: Actor): Promise<{ email: string; locale: string | null }> {
  const user = await ctx.db.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { email: true, emailVerifiedAt: true, locale: true },
  });
  if (!user.email) throw new BadInputError("NO_EMAIL", "This account has no email address to verify.");
  if (user.emailVerifiedAt)
    throw new ConflictError("EMAIL_ALREADY_VERIFIED", "This account's email address is already verified.");
  return { email: user.email, locale: user.locale };
}

/**
 * Mails a 6-digit code to the account's address: proof that the account holder reads that
 * mailbox (accepting an email invitation needs it). One a minute, five per ten minutes; a mail
 * server that fails gives the quota back and answers 503 EMAIL_UNAVAILABLE, storing nothing.
 * The mail is in the account's language, else the request's Accept-Language.
 */
export async function requestEmailVerification(ctx: AccountContext, actor: Actor): Promise<CodeSent> {
  const { email, locale: userLocale } = await unverifiedEmailOf(ctx, actor);
  const { limiter } = ctx.auth;
  await limiter.consume("emailCodePerUserMinute", actor.userId);
  try {
    await limiter.consume("emailCodePerUser", actor.userId);
  } catch (error) {
    await limiter.refund("emailCodePerUserMinute", actor.userId);
    throw error;
  }
  const code = generateOneTimeCode();
  const locale = chooseMessageLocale({ userLocale, acceptLanguage: ctx.acceptLanguage });
  try {
    await ctx.auth.mail.send({ to: email, ...renderMessage("emailVerificationCode", locale, { code }) });
  } catch (error) {
    if (!(error instanceof MailDeliveryError)) throw error;
    ctx.log.error({ err: error, provider: error.details.provider }, "verification mail failed");
    await limiter.refund("emailCodePerUserMinute", actor.userId);
    await limiter.refund("emailCodePerUser", actor.userId);
    throw new EmailUnavailableError();
  }
  return storeCode(ctx, { target: email, purpose: "email_verification", code, userId: actor.userId });
}

/** Checks the mailed code (three guesses, five minutes, once) and marks the address verified. */
export async function confirmEmailVerification(ctx: AccountContext, actor: Actor, code: string): Promise<UserProfile> {
  const { email } = await unverifiedEmailOf(ctx, actor);
  await ctx.auth.limiter.consume("emailCodeVerifyPerUser", actor.userId);
  await consumeStoredCode(ctx, { target: email, purpose: "email_verification", code, userId: actor.userId });
  // Only if the address is still the one the code went to.
  const verified = await ctx.db.user.updateManyAndReturn({
    where: { id: actor.userId, email },
    data: { emailVerifiedAt: ctx.auth.now() },
    select: profileColumns,
  });
  if (!verified[0]) throw new ConflictError("EMAIL_CHANGED", "The account's email address changed since the code was sent.");
  return toProfile(verified[0]);
}
