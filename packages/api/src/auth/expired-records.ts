import { purgeAuditEvents, type DbClient } from "@tenantry/db";
import { authPolicy } from "@tenantry/api-core";

export interface PurgeResult {
  codes: number;
  sessions: number;
  auditEvents: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Deletes what can no longer be used or is past keeping: expired one-time codes (they name phone
 * numbers), sessions that ended (expired or revoked) more than a day ago, with their refresh
 * tokens by cascade, and audit events older than the retention. The day of grace keeps a just-revoked session around so a late refresh with one of
 * its tokens is still recognised as reuse rather than as an unknown token.
 */
export async function purgeExpiredRecords(
  db: DbClient,
  now: Date,
  policy: { auditRetentionDays: number | null },
): Promise<PurgeResult> {
  const dayAgo = new Date(now.getTime() - dayMs);
  const codes = await db.oneTimeCode.deleteMany({ where: { expiresAt: { lt: now } } });
  const sessions = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: dayAgo } }, { revokedAt: { lt: dayAgo } }] },
  });
  // Audit events past the configured retention (null: kept forever).
  const auditEvents =
    policy.auditRetentionDays === null
      ? 0
      : await purgeAuditEvents(db, new Date(now.getTime() - policy.auditRetentionDays * dayMs));
  return { codes: codes.count, sessions: sessions.count, auditEvents };
}

/** How often the server runs the purge. */
export const purgeIntervalMs = Math.min(60 * 60 * 1000, authPolicy.sessionLifetimeMs);
