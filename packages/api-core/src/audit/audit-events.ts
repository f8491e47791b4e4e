import type { AuditActorType } from "@tenantry/db";
import type { RequestFacts } from "../context.ts";

/** What happened and to what; who and from where come from the call. */
export interface AuditRecord {
  /** Stable and dotted, e.g. `member.role_changed`; a module's start with its id. */
  action: string;
  targetType: string;
  targetId?: string | null | undefined;
  /** Small, and never secrets, codes or whole phone numbers (see `maskPhone`). */
  details?: Record<string, unknown> | undefined;
}

export interface AuditActor {
  actorType: AuditActorType;
  actorId: string | null;
}

/** The address and client of the request the event came from. */
export type AuditOrigin = Pick<RequestFacts, "ip" | "userAgent">;

/** Anything that can append an event: the Prisma client, a tenant's transaction, a transaction. */
export interface AuditWriter {
  auditEvent: { createMany(args: { data: AuditEventRow[] }): PromiseLike<unknown> };
}

interface AuditEventRow {
  tenantId: string | null;
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: object;
}

/** Details beyond this are a mistake in the caller (an audit event is a line, not a document). */
const maxDetailsBytes = 2_000;
const maxUserAgentLength = 400;

/**
 * Appends one event through `db`. Called with the transaction that makes the change (a tenant
 * procedure's `ctx.tenantDb`), it commits or rolls back with it. `tenantId` null records a
 * platform event, which must be written outside any tenant scope.
 */
export async function recordAudit(
  db: AuditWriter,
  event: AuditRecord & AuditActor & { tenantId: string | null; origin: AuditOrigin | undefined },
): Promise<void> {
  const details = event.details ?? {};
  if (Buffer.byteLength(JSON.stringify(details)) > maxDetailsBytes) {
    throw new Error(
      `Audit event ${event.action}: details over ${maxDetailsBytes} bytes; record what changed, not the whole object.`,
    );
  }
  // createMany: a plain INSERT. `create` adds RETURNING, which row-level security checks against
  // the read policies, and a platform event is readable only in the platform admins' scope.
  await db.auditEvent.createMany({
    data: [
      {
        tenantId: event.tenantId,
        actorType: event.actorType,
        actorId: event.actorId,
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId ?? null,
        ip: event.origin?.ip ?? null,
        userAgent: event.origin?.userAgent?.slice(0, maxUserAgentLength) ?? null,
        details,
      },
    ],
  });
}

/** `+7 912 345-67-89` → `+7•••••••89`: enough to tell numbers apart in a log, not to dial one. */
export function maskPhone(e164: string): string {
  if (e164.length <= 5) return "•".repeat(e164.length);
  return `${e164.slice(0, 2)}${"•".repeat(e164.length - 4)}${e164.slice(-2)}`;
}

/** `someone@example.com` → `s•••@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}
