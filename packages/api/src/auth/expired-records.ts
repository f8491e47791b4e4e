import type { DbClient } from "@tenantry/db";
import { authPolicy } from "@tenantry/api-core";

export interface PurgeResult {
  codes: number;
  sessions: number;
}

/**
 * Deletes what can no longer be used: expired one-time codes (they name phone numbers), and
 * sessions that ended (expired or revoked) more than a day ago, with their refresh tokens by
 * cascade. The day of grace keeps a just-revoked session around so a late refresh with one of
 * its tokens is still recognised as reuse rather than as an unknown token.
 */
export async function purgeExpiredAuthRecords(db: DbClient, now: Date): Promise<PurgeResult> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const codes = await db.oneTimeCode.deleteMany({ where: { expiresAt: { lt: now } } });
  const sessions = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: dayAgo } }, { revokedAt: { lt: dayAgo } }] },
  });
  return { codes: codes.count, sessions: sessions.count };
}

/** How often the server runs the purge. */
export const purgeIntervalMs = Math.min(60 * 60 * 1000, authPolicy.sessionLifetimeMs);
