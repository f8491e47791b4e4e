import { UniqueConstraintError } from "@tenantry/db";
import { AccountBlockedError, ConflictError, InvalidCredentialsError, maskEmail, type Context } from "@tenantry/api-core";
import { auditRefusedSignIn } from "../audit/audit-trail.ts";
import { startEmailVerification } from "../account/email-verification.ts";
import { profileColumns, toProfile } from "../account/user-profile.ts";
import type { SignedIn } from "./phone-sign-in.ts";
import { createSession } from "./sessions.ts";

type AuthContext = Pick<Context, "db" | "auth" | "ip" | "userAgent">;

/**
 * Creates an account with email and password (the schema has checked the password policy) and
 * mails the new address its first verification code, after the answer.
 */
export async function registerWithEmail(
  ctx: AuthContext & Pick<Context, "log" | "acceptLanguage">,
  input: { email: string; password: string; displayName?: string | undefined },
): Promise<SignedIn> {
  await ctx.auth.limiter.consume("registerPerIp", ctx.ip);
  const passwordHash = await ctx.auth.passwords.hash(input.password);
  const user = await ctx.db.user
    .create({ data: { email: input.email, passwordHash, displayName: input.displayName ?? null }, select: profileColumns })
    .catch((error: unknown) => {
      if (error instanceof UniqueConstraintError) {
        throw new ConflictError("EMAIL_TAKEN", "email: an account with this email already exists; sign in instead.");
      }
      throw error;
    });
  const signedIn: SignedIn = { ...(await createSession(ctx, user)), user: toProfile(user), isNewUser: true };
  await startEmailVerification(ctx, { id: user.id, email: input.email });
  return signedIn;
}

/**
 * Unknown email, no password, wrong password: one error, and the same argon2 work in each case
 * (a dummy verification for unknown accounts), so neither answer nor timing reveals accounts.
 * Hashes made with weaker parameters are upgraded on a successful sign-in.
 */
export async function signInWithEmail(ctx: AuthContext, input: { email: string; password: string }): Promise<SignedIn> {
  await ctx.auth.limiter.consume("signInPerIp", ctx.ip);
  await ctx.auth.limiter.consume("signInPerEmail", input.email);
  const user = await ctx.db.user.findUnique({ where: { email: input.email }, select: profileColumns });
  const refuse = async () => {
    await auditRefusedSignIn(ctx.db, ctx, {
      method: "email",
      identifier: maskEmail(input.email),
      reason: user ? "wrong_password" : "unknown_account",
      userId: user?.id,
    });
    return new InvalidCredentialsError();
  };
  if (!user?.passwordHash) {
    await ctx.auth.passwords.verifyAgainstDummyHash(input.password);
    throw await refuse();
  }
  if (!(await ctx.auth.passwords.verify(user.passwordHash, input.password))) throw await refuse();
  // Said only to whoever knows the password: to anyone else a blocked account is any account.
  if (user.blockedAt) {
    await auditRefusedSignIn(ctx.db, ctx, {
      method: "email",
      identifier: maskEmail(input.email),
      reason: "account_blocked",
      userId: user.id,
    });
    throw new AccountBlockedError();
  }
  if (ctx.auth.passwords.needsRehash(user.passwordHash)) {
    await ctx.db.user.update({
      where: { id: user.id },
      data: { passwordHash: await ctx.auth.passwords.hash(input.password) },
    });
  }
  return { ...(await createSession(ctx, user)), user: toProfile(user), isNewUser: false };
}
