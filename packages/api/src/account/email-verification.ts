import { generateOneTimeCode, MailDeliveryError } from "@tenantry/auth";
import { BadInputError, ConflictError, type Actor, type Context } from "@tenantry/api-core";
import { consumeStoredCode, storeCode, type CodeSent } from "../auth/one-time-codes.ts";
import { chooseMessageLocale } from "../messages/message-locale.ts";
import { renderMessage } from "../messages/render-message.ts";
import { giveBackEmailCodeQuota, mailRequestedCode, takeEmailCodeQuota } from "./email-codes.ts";
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
  const locale = chooseMessageLocale({ userLocale, acceptLanguage: ctx.acceptLanguage });
  const code = await mailRequestedCode(ctx, { userId: actor.userId, to: email, kind: "emailVerificationCode", locale });
  return storeCode(ctx, { target: email, purpose: "email_verification", code, userId: actor.userId });
}

/**
 * Registration's first code, for a new account: stored before the registration answers, so a
 * code the user asks for next replaces it and never the other way round; mailed after the
 * answer, which does not wait for the mail server. It counts towards the account's five codes
 * per ten minutes, not the one a minute. Nothing here fails the registration: a failure is
 * logged, and the user asks for another code.
 */
export async function startEmailVerification(
  ctx: Pick<Context, "db" | "auth" | "log" | "acceptLanguage">,
  user: { id: string; email: string },
): Promise<void> {
  const { limiter } = ctx.auth;
  const code = generateOneTimeCode();
  try {
    await takeEmailCodeQuota(limiter, user.id, "registration");
    await storeCode(ctx, { target: user.email, purpose: "email_verification", code, userId: user.id });
  } catch (error) {
    ctx.log.error({ err: error, userId: user.id }, "registration verification code not stored");
    return;
  }
  // A new account has chosen no locale yet, so the registering browser's language decides.
  const locale = chooseMessageLocale({ acceptLanguage: ctx.acceptLanguage });
  const mail = renderMessage("emailVerificationCode", locale, { code });
  void ctx.auth.mail.send({ to: user.email, ...mail }).catch(async (error: unknown) => {
    ctx.log.error(
      { err: error, provider: error instanceof MailDeliveryError ? error.details.provider : undefined, userId: user.id },
      "registration verification mail failed",
    );
    // Nothing arrived, so it should not count against the codes the user may still ask for.
    await giveBackEmailCodeQuota(limiter, user.id, "registration").catch((refundError: unknown) => {
      ctx.log.error({ err: refundError, userId: user.id }, "registration verification quota not given back");
    });
  });
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
