import { UniqueConstraintError } from "@tenantry/db";
import { ConflictError, maskEmail, type Actor, type Context } from "@tenantry/api-core";
import { auditAccountEvent } from "../audit/audit-trail.ts";
import { consumeStoredCode, storeCode, type CodeSent } from "../auth/one-time-codes.ts";
import { chooseMessageLocale } from "../messages/message-locale.ts";
import { mailRequestedCode } from "./email-codes.ts";
import { profileColumns, toProfile, type UserProfile } from "./user-profile.ts";

type AccountContext = Pick<Context, "db" | "auth" | "ip" | "userAgent" | "log" | "acceptLanguage">;

const emailTaken = () => new ConflictError("EMAIL_TAKEN", "email: another account uses this address.");

/**
 * Mails a code to `email`, the address the account wants instead of its own (or as its first,
 * for an account made by phone); the change happens when that code comes back. Refused for an
 * address another account has, or the account's own. Counted with the verification codes: one
 * a minute, five per ten minutes; a mail server that fails gives the quota back and answers 503
 * EMAIL_UNAVAILABLE, storing nothing. The mail is in the account's language, else the
 * request's Accept-Language.
 */
export async function requestEmailChangeCode(ctx: AccountContext, actor: Actor, email: string): Promise<CodeSent> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true, locale: true } });
  if (user.email === email) {
    throw new ConflictError(
      "EMAIL_UNCHANGED",
      "email: this is already the account's address (to prove it, use POST /account/email/verification/request-code).",
    );
  }
  // Checked before mailing: a code for a taken address could only fail at the end.
  if (await ctx.db.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
  const locale = chooseMessageLocale({ userLocale: user.locale, acceptLanguage: ctx.acceptLanguage });
  const code = await mailRequestedCode(ctx, { userId: actor.userId, to: email, kind: "emailChangeCode", locale });
  return storeCode(ctx, { target: email, purpose: "email_change", code, userId: actor.userId });
}

/**
 * Replaces the account's address with `email` once the code mailed there comes back (three
 * guesses, five minutes, once, for this account only). The new address is verified: the code
 * proved the account reads it. Codes mailed to the old address stop working with it.
 */
export async function confirmEmailChange(
  ctx: AccountContext,
  actor: Actor,
  input: { email: string; code: string },
): Promise<UserProfile> {
  await ctx.auth.limiter.consume("emailCodeVerifyPerUser", actor.userId);
  await consumeStoredCode(ctx, { target: input.email, purpose: "email_change", code: input.code, userId: actor.userId });
  try {
    const user = await ctx.db.$transaction(async (tx) => {
      const before = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
      const changed = await tx.user.update({
        where: { id: actor.userId },
        data: { email: input.email, emailVerifiedAt: ctx.auth.now() },
        select: profileColumns,
      });
      // A reset or verification code for the old address would otherwise outlive the address.
      if (before.email) await tx.oneTimeCode.deleteMany({ where: { target: before.email, userId: actor.userId } });
      await auditAccountEvent(tx, ctx, actor.userId, {
        action: "account.email_changed",
        targetType: "user",
        targetId: actor.userId,
        details: { from: before.email ? maskEmail(before.email) : null, to: maskEmail(input.email) },
      });
      return changed;
    });
    return toProfile(user);
  } catch (error) {
    // Someone registered (or moved to) the address since the code was sent.
    if (error instanceof UniqueConstraintError) throw emailTaken();
    throw error;
  }
}
