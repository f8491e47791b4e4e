import { InvalidCredentialsError, type Actor, type Context } from "@tenantry/api-core";
import { revokeSessionsIn } from "../auth/sessions.ts";

/**
 * Sets a new password. An account that has one must confirm the current one; a phone-only
 * account sets its first. Every other session is signed out; this one stays.
 */
export async function changePassword(
  ctx: Pick<Context, "db" | "auth" | "ip" | "userAgent">,
  actor: Actor,
  input: { currentPassword?: string | undefined; newPassword: string },
): Promise<{ revokedSessions: number }> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId } });
  if (user.passwordHash) {
    await ctx.auth.limiter.consume("passwordCheckPerUser", actor.userId);
    if (!input.currentPassword || !(await ctx.auth.passwords.verify(user.passwordHash, input.currentPassword))) {
      throw new InvalidCredentialsError("CURRENT_PASSWORD_WRONG", "currentPassword: the current password is wrong.");
    }
  }
  const passwordHash = await ctx.auth.passwords.hash(input.newPassword);
  // The new password and the sign-out are kept together or not at all.
  const revokedSessions = await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { passwordHash } });
    return revokeSessionsIn(tx, { userId: actor.userId, NOT: { id: actor.sessionId } }, "password_changed", ctx.auth.now(), {
      origin: ctx,
      by: actor.userId,
    });
  });
  return { revokedSessions };
}
