import { recordAudit, type Actor, type AuditOrigin, type AuditRecord, type AuditWriter } from "@tenantry/api-core";
import type { MemberContext } from "../tenants/tenant-context.ts";

/**
 * A member's change to their tenant, recorded in the tenant's transaction (`ctx.tenantDb`): if
 * the change rolls back, so does its event.
 */
export function auditTenantChange(ctx: MemberContext, record: AuditRecord): Promise<void> {
  return recordAudit(ctx.tenantDb, {
    ...record,
    tenantId: ctx.tenant.id,
    actorType: "user",
    actorId: ctx.actor.userId,
    origin: ctx,
  });
}

/** A platform admin's change, to one tenant (`tenantId`) or to the platform (null). */
export function auditAdminChange(
  db: AuditWriter,
  ctx: AuditOrigin,
  admin: Actor,
  tenantId: string | null,
  record: AuditRecord,
): Promise<void> {
  return recordAudit(db, { ...record, tenantId, actorType: "platform", actorId: admin.userId, origin: ctx });
}

/** Something a signed-in user did to their own account (no tenant). */
export function auditAccountEvent(db: AuditWriter, ctx: AuditOrigin, userId: string, record: AuditRecord): Promise<void> {
  return recordAudit(db, { ...record, tenantId: null, actorType: "user", actorId: userId, origin: ctx });
}

/**
 * A refused sign-in: nobody known did it, and nothing else is written, so the event is its own
 * statement (no transaction of the attempt's to roll it back).
 */
export function auditRefusedSignIn(
  db: AuditWriter,
  ctx: AuditOrigin,
  record: { method: "email" | "phone"; identifier: string; reason: string; userId?: string | undefined },
): Promise<void> {
  return recordAudit(db, {
    action: "auth.sign_in_failed",
    targetType: "user",
    targetId: record.userId ?? null,
    details: { method: record.method, identifier: record.identifier, reason: record.reason },
    tenantId: null,
    actorType: "anonymous",
    actorId: null,
    origin: ctx,
  });
}
