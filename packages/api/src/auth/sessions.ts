import { generateRefreshToken, hashRefreshToken } from "@tenantry/auth";
import {
  authPolicy,
  InvalidRefreshTokenError,
  recordAudit,
  RefreshTokenReusedError,
  type AuditOrigin,
  type Context,
} from "@tenantry/api-core";
import type { TenantDb } from "@tenantry/db";

export interface IssuedTokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  /** Opaque; exchange it at `auth.refresh` for a new pair. Single use. */
  refreshToken: string;
  /** The session's absolute end; refreshing does not extend it. */
  refreshTokenExpiresAt: string;
  sessionId: string;
}

type Db = Context["db"];
type TokenContext = Pick<Context, "db" | "auth" | "ip" | "userAgent">;

async function issueTokens(
  ctx: Pick<Context, "auth">,
  session: { id: string; userId: string; expiresAt: Date },
  role: "user" | "admin",
  refreshToken: string,
): Promise<IssuedTokens> {
  const access = await ctx.auth.accessTokens.sign({ userId: session.userId, sessionId: session.id, role });
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken,
    refreshTokenExpiresAt: session.expiresAt.toISOString(),
    sessionId: session.id,
  };
}

/** Starts a session for a user who just proved who they are. */
export async function createSession(
  ctx: TokenContext,
  user: { id: string; platformRole: "user" | "admin" },
  db: Db = ctx.db,
): Promise<IssuedTokens> {
  const refreshToken = generateRefreshToken();
  const session = await db.session.create({
    data: {
      userId: user.id,
      expiresAt: new Date(ctx.auth.now().getTime() + authPolicy.sessionLifetimeMs),
      userAgent: ctx.userAgent?.slice(0, 400),
      ipAddress: ctx.ip,
      refreshTokens: { create: { tokenHash: hashRefreshToken(refreshToken) } },
    },
  });
  return issueTokens(ctx, session, user.platformRole, refreshToken);
}

/**
 * Exchanges a refresh token for a new pair. The old token is marked rotated; presenting it
 * again within the grace window (two tabs refreshing at once) yields another valid token for
 * the same session, and after it counts as theft: the whole session is revoked.
 */
export async function refreshSession(ctx: TokenContext, refreshToken: string): Promise<IssuedTokens> {
  const now = ctx.auth.now();
  const stored = await ctx.db.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(refreshToken) },
    include: { session: { include: { user: { select: { platformRole: true } } } } },
  });
  if (!stored) throw new InvalidRefreshTokenError();
  const { session } = stored;
  if (session.revokedAt || session.expiresAt <= now) throw new InvalidRefreshTokenError();

  let rotatedAt = stored.rotatedAt;
  if (!rotatedAt) {
    // Only one of two concurrent exchanges wins this update; the other takes the grace path.
    const won = await ctx.db.refreshToken.updateMany({
      where: { id: stored.id, rotatedAt: null },
      data: { rotatedAt: now },
    });
    if (won.count === 0) {
      rotatedAt = (await ctx.db.refreshToken.findUnique({ where: { id: stored.id } }))?.rotatedAt ?? now;
    }
  }
  if (rotatedAt && now.getTime() - rotatedAt.getTime() > authPolicy.refreshReuseGraceMs) {
    await revokeSessions(ctx.db, { id: session.id }, "refresh_token_reused", now, { origin: ctx, by: null });
    throw new RefreshTokenReusedError();
  }

  const next = generateRefreshToken();
  await ctx.db.$transaction([
    ctx.db.refreshToken.create({ data: { sessionId: session.id, tokenHash: hashRefreshToken(next) } }),
    ctx.db.session.update({ where: { id: session.id }, data: { lastUsedAt: now, ipAddress: ctx.ip } }),
  ]);
  return issueTokens(ctx, session, session.user.platformRole, next);
}

/**
 * Revokes the matching live sessions and records `session.revoked` with the reason, in one
 * transaction; returns how many. `by` is the user who asked, or null when the platform did
 * (a reused refresh token).
 */
export function revokeSessions(
  db: Db,
  where: SessionFilter,
  reason: string,
  now: Date,
  audit: { origin: AuditOrigin; by: string | null },
): Promise<number> {
  return db.$transaction((tx) => revokeSessionsIn(tx, where, reason, now, audit));
}

type SessionFilter = { id?: string; userId?: string; NOT?: { id: string } };

/**
 * `revokeSessions` inside the caller's transaction, for a change that must not be kept without
 * the sign-out it calls for (a new password with the old sessions alive).
 */
export async function revokeSessionsIn(
  tx: TenantDb,
  where: SessionFilter,
  reason: string,
  now: Date,
  audit: { origin: AuditOrigin; by: string | null },
): Promise<number> {
  const sessions = await tx.session.findMany({ where: { ...where, revokedAt: null }, select: { id: true, userId: true } });
  if (sessions.length === 0) return 0;
  const result = await tx.session.updateMany({
    where: { id: { in: sessions.map((s) => s.id) }, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  await recordAudit(tx, {
    action: "session.revoked",
    targetType: "user",
    targetId: sessions[0]!.userId,
    details: { reason, sessions: result.count, ...(sessions.length === 1 ? { sessionId: sessions[0]!.id } : {}) },
    tenantId: null,
    actorType: audit.by ? "user" : "platform",
    actorId: audit.by,
    origin: audit.origin,
  });
  return result.count;
}

export interface SessionSummary {
  id: string;
  current: boolean;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ipAddress: string | null;
}

/** The user's live sessions, most recently used first. */
export async function listSessions(
  ctx: Pick<Context, "db" | "auth">,
  actor: { userId: string; sessionId: string },
): Promise<SessionSummary[]> {
  const sessions = await ctx.db.session.findMany({
    where: { userId: actor.userId, revokedAt: null, expiresAt: { gt: ctx.auth.now() } },
    orderBy: { lastUsedAt: "desc" },
  });
  return sessions.map((s) => ({
    id: s.id,
    current: s.id === actor.sessionId,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    userAgent: s.userAgent,
    ipAddress: s.ipAddress,
  }));
}
