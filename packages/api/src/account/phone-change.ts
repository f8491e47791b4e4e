import { UniqueConstraintError } from "@tenantry/db";
import { ConflictError, type Actor, type Context } from "@tenantry/api-core";
import { consumeCode, sendCode, type CodeSent } from "../auth/one-time-codes.ts";
import { profileColumns, toProfile, type UserProfile } from "./user-profile.ts";

type AccountContext = Pick<Context, "db" | "auth" | "ip" | "log" | "acceptLanguage">;

/** Sends a code to the new number; the change happens when that code comes back. */
export function requestPhoneChangeCode(ctx: AccountContext, actor: Actor, phone: string): Promise<CodeSent> {
  return sendCode(ctx, { phone, purpose: "phone_change", userId: actor.userId });
}

export async function confirmPhoneChange(
  ctx: AccountContext,
  actor: Actor,
  input: { phone: string; code: string },
): Promise<UserProfile> {
  await consumeCode(ctx, { phone: input.phone, purpose: "phone_change", code: input.code, userId: actor.userId });
  try {
    const user = await ctx.db.user.update({
      where: { id: actor.userId },
      data: { phone: input.phone, phoneVerifiedAt: ctx.auth.now() },
      select: profileColumns,
    });
    return toProfile(user);
  } catch (error) {
    if (error instanceof UniqueConstraintError) {
      throw new ConflictError("PHONE_TAKEN", "phone: another account uses this number.");
    }
    throw error;
  }
}
