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

  // One round trip for the session and its user's role (Prisma's nested select takes two).
  const [session] = await ctx.db.$queryRaw<
    Array<{ userId: string; revokedAt: Date | null; expiresAt: Date; platformRole: Actor["role"] }>
  >`select s.user_id::text as "userId", s.revoked_at as "revokedAt", s.expires_at as "expiresAt",
           u.platform_role::text as "platformRole"
      from sessions s join users u on u.id = s.user_id
     where s.id = ${claims.sessionId}::uuid`;
  if (!session || session.revokedAt || session.expiresAt <= ctx.auth.now() || session.userId !== claims.userId) {
    throw sessionRevoked();
  }
  return { userId: claims.userId, sessionId: claims.sessionId, role: session.platformRole };
}
