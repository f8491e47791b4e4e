import { InvalidAccessTokenError } from "@tenantry/auth";
import type { Context } from "../context.ts";
import { accessTokenExpired, accessTokenInvalid, sessionRevoked, UnauthenticatedError } from "../errors/auth-errors.ts";

export interface Actor {
  userId: string;
  sessionId: string;
  /** From the database, not the token: a demotion takes effect at once. */
  role: "user" | "admin";
}

/**
 * Verifies the bearer token, then checks its session in one primary-key lookup, so a signed-out,
 * expired or revoked session's access tokens stop working at once, not when they expire.
 */
export async function authenticate(ctx: Context): Promise<Actor> {
  const header = ctx.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw new UnauthenticatedError();

  let claims: { userId: string; sessionId: string };
  try {
    claims = await ctx.auth.accessTokens.verify(match[1]);
  } catch (error) {
    if (error instanceof InvalidAccessTokenError) {
      throw error.reason === "expired" ? accessTokenExpired() : accessTokenInvalid();
    }
    throw error;
  }

  const session = await ctx.db.session.findUnique({
    where: { id: claims.sessionId },
    select: { userId: true, revokedAt: true, expiresAt: true, user: { select: { platformRole: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= ctx.auth.now() || session.userId !== claims.userId) {
    throw sessionRevoked();
  }
  return { userId: claims.userId, sessionId: claims.sessionId, role: session.user.platformRole };
}
