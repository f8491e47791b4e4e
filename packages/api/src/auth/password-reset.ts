import { generateOneTimeCode, MailDeliveryError } from "@tenantry/auth";
import { recordAudit, type Context } from "@tenantry/api-core";
import { chooseMessageLocale } from "../messages/message-locale.ts";
import { renderMessage } from "../messages/render-message.ts";
import { consumeStoredCode, storeCode, type CodeSent } from "./one-time-codes.ts";
import { revokeSessionsIn } from "./sessions.ts";
import { authPolicy } from "@tenantry/api-core";

type ResetContext = Pick<Context, "db" | "auth" | "ip" | "userAgent" | "log" | "acceptLanguage">;

/**
 * Mails a reset code to `email` if an account has it as a verified address; answers the same
 * either way, and at once: the mail goes out after the answer (a failure is logged, and a new
 * code can be asked for a minute later), so neither the answer nor its timing tells whether an
 * account exists. Limited per IP and per address, known or not. The mail is in the account's
 * language, else the request's Accept-Language.
 */
export async function requestPasswordReset(ctx: ResetContext, email: string): Promise<CodeSent> {
  const { limiter } = ctx.auth;
  await limiter.consume("codeRequestPerIp", ctx.ip);
  await limiter.consume("resetCodePerEmailMinute", email);
  try {
    await limiter.consume("resetCodePerEmail", email);
  } catch (error) {
    await limiter.refund("resetCodePerEmailMinute", email);
    throw error;
  }
  const answer: CodeSent = { sent: true, expiresInSeconds: authPolicy.codeLifetimeMs / 1000 };
  const user = await ctx.db.user.findUnique({ where: { email }, select: { id: true, emailVerifiedAt: true, locale: true } });
  // An unproven address is not proof of anything: anyone can register any address.
  if (!user?.emailVerifiedAt) return answer;

  const code = generateOneTimeCode();
  await storeCode(ctx, { target: email, purpose: "password_reset", code, userId: user.id });
  const locale = chooseMessageLocale({ userLocale: user.locale, acceptLanguage: ctx.acceptLanguage });
  void ctx.auth.mail.send({ to: email, ...renderMessage("passwordResetCode", locale, { code }) }).catch((error: unknown) => {
    ctx.log.error(
      { err: error, provider: error instanceof MailDeliveryError ? error.details.provider : undefined },
      "password reset mail failed",
    );
  });
  return answer;
}

/**
 * Sets a new password with a mailed code (three guesses, five minutes, once), then signs out
 * every session of the account: whoever knew the old password is out.
 */
export async function resetPassword(
  ctx: ResetContext,
  input: { email: string; code: string; newPassword: string },
): Promise<{ reset: true; revokedSessions: number }> {
  await ctx.auth.limiter.consume("codeVerifyPerIp", ctx.ip);
  await ctx.auth.limiter.consume("resetVerifyPerEmail", input.email);
  await consumeStoredCode(ctx, { target: input.email, purpose: "password_reset", code: input.code });
  const user = await ctx.db.user.findUniqueOrThrow({ where: { email: input.email }, select: { id: true } });
  const passwordHash = await ctx.auth.passwords.hash(input.newPassword);
  // The new password and the sign-out are kept together or not at all.
  const revokedSessions = await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await recordAudit(tx, {
      action: "auth.password_reset",
      targetType: "user",
      targetId: user.id,
      tenantId: null,
      actorType: "user",
      actorId: user.id,
      origin: ctx,
    });
    return revokeSessionsIn(tx, { userId: user.id }, "password_reset", ctx.auth.now(), { origin: ctx, by: user.id });
  });
  return { reset: true, revokedSessions };
}
