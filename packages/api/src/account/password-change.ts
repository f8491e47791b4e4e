import { InvalidCredentialsError, type Actor, type Context } from "@tenantry/api-core";
import { revokeSessions } from "../auth/sessions.ts";

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
  await ctx.db.user.update({
    where: { id: actor.userId },
    data: { passwordHash: await ctx.auth.passwords.hash(input.newPassword) },
  });
  const revokedSessions = await revokeSessions(
    ctx.db,
    { userId: actor.userId, NOT: { id: actor.sessionId } },
    "password_changed",
    ctx.auth.now(),
    { origin: ctx, by: actor.userId },
  );
  return { revokedSessions };
}
