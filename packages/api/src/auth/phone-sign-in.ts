import { AccountBlockedError, AppError, maskPhone, PhoneBlockedError, type Context } from "@tenantry/api-core";
import { auditRefusedSignIn } from "../audit/audit-trail.ts";
import { isPhoneBlocked } from "../admin/blocked-phones.ts";
import { profileColumns, toProfile, type UserProfile } from "../account/user-profile.ts";
import { consumeCode, sendCode, type CodeSent } from "./one-time-codes.ts";
import { createSession, type IssuedTokens } from "./sessions.ts";

type AuthContext = Pick<Context, "db" | "auth" | "ip" | "userAgent" | "log" | "acceptLanguage">;

/** Same answer for a known and an unknown number: a code is sent either way. */
export function requestSignInCode(ctx: AuthContext, phone: string): Promise<CodeSent> {
  return sendCode(ctx, { phone, purpose: "sign_in" });
}

export interface SignedIn extends IssuedTokens {
  user: UserProfile;
  /** True when this verification created the account. */
  isNewUser: boolean;
}

/** A correct code signs in, creating the account on the first verified sign-in. */
export async function verifySignInCode(ctx: AuthContext, { phone, code }: { phone: string; code: string }): Promise<SignedIn> {
  try {
    // A number blocked after its code was sent cannot use it either.
    if (await isPhoneBlocked(ctx.db, phone)) throw new PhoneBlockedError();
    await consumeCode(ctx, { phone, purpose: "sign_in", code });
  } catch (error) {
    if (error instanceof AppError) {
      await auditRefusedSignIn(ctx.db, ctx, { method: "phone", identifier: maskPhone(phone), reason: error.code });
    }
    throw error;
  }
  const now = ctx.auth.now();
  const existing = await ctx.db.user.findUnique({ where: { phone }, select: profileColumns });
  if (existing?.blockedAt) {
    await auditRefusedSignIn(ctx.db, ctx, {
      method: "phone",
      identifier: maskPhone(phone),
      reason: "account_blocked",
      userId: existing.id,
    });
    throw new AccountBlockedError();
  }
  const user =
    existing ??
    (await ctx.db.user.upsert({
      // upsert: a concurrent first sign-in with the same number cannot create two accounts.
      where: { phone },
      create: { phone, phoneVerifiedAt: now },
      update: {},
      select: profileColumns,
    }));
  const tokens = await createSession(ctx, user);
  return { ...tokens, user: toProfile(user), isNewUser: existing === null };
}
