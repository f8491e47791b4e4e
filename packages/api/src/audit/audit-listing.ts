import { cursorPage, pageQuery, type CursorPage } from "@tenantry/api-core";
import { withPlatformAuditScope, type AuditEvent, type DbClient, type TenantDb } from "@tenantry/db";

/** A row as the listings return it: dates as ISO strings, details as an object. */
export type AuditEventEntry = Omit<AuditEvent, "details" | "createdAt"> & { details: Record<string, unknown>; createdAt: string };

export interface AuditFilter {
  cursor?: string | undefined;
  limit: number;
  action?: string | undefined;
  actorId?: string | undefined;
  /** Inclusive lower bound. */
  from?: Date | undefined;
  /** Exclusive upper bound. */
  to?: Date | undefined;
}

const toEntry = (row: AuditEvent): AuditEventEntry => ({
  ...row,
  details: (row.details ?? {}) as Record<string, unknown>,
  createdAt: row.createdAt.toISOString(),
});

/** Newest first, keyset-paginated; `action` matches exactly or, ending in `.`, as a prefix. */
async function listEvents(db: TenantDb, filter: AuditFilter, extra: object): Promise<CursorPage<AuditEventEntry>> {
  const page = pageQuery(filter);
  const rows = await db.auditEvent.findMany({
    ...page,
    where: {
      AND: [
        extra,
        filter.action
          ? filter.action.endsWith(".")
            ? { action: { startsWith: filter.action } }
            : { action: filter.action }
          : {},
        filter.actorId ? { actorId: filter.actorId } : {},
        filter.from || filter.to
          ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
          : {},
        page.where,
      ],
    },
  });
  return cursorPage(rows, filter.limit, toEntry);
}

/** The tenant's own events (row-level security: only those, whatever the filter says). */
export function listTenantAuditEvents(tenantDb: TenantDb, filter: AuditFilter): Promise<CursorPage<AuditEventEntry>> {
  return listEvents(tenantDb, filter, {});
}

/** Every event, for platform admins: one tenant's (`tenantId`), the platform's (`null`), or all. */
export function listAllAuditEvents(
  db: DbClient,
  filter: AuditFilter & { tenantId?: string | null | undefined },
): Promise<CursorPage<AuditEventEntry>> {
  return withPlatformAuditScope(db, (tx) =>
    listEvents(tx, filter, filter.tenantId === undefined ? {} : { tenantId: filter.tenantId }),
  );
}
