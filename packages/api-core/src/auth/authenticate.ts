import { InvalidAccessTokenError } from "@tenantry/auth";
import type { DbClient, TenantDb } from "@tenantry/db";
import type { Context } from "../context.ts";
import { accessTokenExpired, accessTokenInvalid, sessionRevoked, UnauthenticatedError } from "../errors/auth-errors.ts";
import type { MemberRole } from "../tenancy/permissions.ts";

export interface Actor {
  userId: string;
  sessionId: string;
  /** From the database, not the token: a demotion takes effect at once. */
  role: "user" | "admin";
}

/** What a verified access token claims; not yet checked against its session. */
export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/** Verifies the bearer token's signature and lifetime; no database work. */
export async function verifyBearer(ctx: Context): Promise<AccessClaims> {
  const header = ctx.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw new UnauthenticatedError();
  try {
    return await ctx.auth.accessTokens.verify(match[1]);
  } catch (error) {
    if (error instanceof InvalidAccessTokenError) {
      throw error.reason === "expired" ? accessTokenExpired() : accessTokenInvalid();
    }
    throw error;
  }
}

interface SessionRow {
  userId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  platformRole: Actor["role"];
  memberRole: MemberRole | null;
}

/**
 * Checks the token's session in one round trip, so a signed-out, expired or revoked session's
 * access tokens stop working at once, not when they expire. Given a tenant (and run inside its
 * transaction, where row-level security shows its memberships), the same query also reads the
 * caller's role in it: a member's request pays one query for who they are and what they may do.
 */
export async function checkSession(
  db: DbClient | TenantDb,
  ctx: Context,
  claims: AccessClaims,
  tenantId?: string,
): Promise<{ actor: Actor; memberRole: MemberRole | null }> {
  const [session] = await db.$queryRaw<SessionRow[]>`
    select s.user_id::text as "userId", s.revoked_at as "revokedAt", s.expires_at as "expiresAt",
           u.platform_role::text as "platformRole", tm.role::text as "memberRole"
      from sessions s
      join users u on u.id = s.user_id
      left join tenant_members tm on tm.tenant_id = ${tenantId ?? null}::uuid and tm.user_id = s.user_id
     where s.id = ${claims.sessionId}::uuid`;
  if (!session || session.revokedAt || session.expiresAt <= ctx.auth.now() || session.userId !== claims.userId) {
    throw sessionRevoked();
  }
  return {
    actor: { userId: claims.userId, sessionId: claims.sessionId, role: session.platformRole },
    memberRole: session.memberRole,
  };
}

/** A signed-in user with a live session, outside any tenant. */
export async function authenticate(ctx: Context): Promise<Actor> {
  return (await checkSession(ctx.db, ctx, await verifyBearer(ctx))).actor;
}
