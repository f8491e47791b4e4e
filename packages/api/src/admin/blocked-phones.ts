import type { DbClient } from "@tenantry/db";
import { BadInputError, maskPhone, NotFoundError, type Actor, type Context } from "@tenantry/api-core";
import { auditAdminChange } from "../audit/audit-trail.ts";

type AdminContext = Pick<Context, "db" | "ip" | "userAgent">;

/** Every prefix of an E.164 number, shortest first: `+4179…` → `+4`, `+41`, `+417`, … */
function prefixesOf(e164: string): string[] {
  const prefixes: string[] = [];
  for (let end = 2; end <= e164.length; end++) prefixes.push(e164.slice(0, end));
  return prefixes;
}

/** One indexed query: the number itself, or any of its prefixes marked as a prefix block. */
export async function isPhoneBlocked(db: DbClient, e164: string): Promise<boolean> {
  const match = await db.blockedPhone.findFirst({
    where: {
      OR: [
        { value: e164, isPrefix: false },
        { value: { in: prefixesOf(e164) }, isPrefix: true },
      ],
    },
    select: { id: true },
  });
  return match !== null;
}

export interface BlockedPhoneEntry {
  id: string;
  value: string;
  isPrefix: boolean;
  reason: string | null;
  createdAt: string;
}

const toEntry = (row: { id: string; value: string; isPrefix: boolean; reason: string | null; createdAt: Date }) => ({
  id: row.id,
  value: row.value,
  isPrefix: row.isPrefix,
  reason: row.reason,
  createdAt: row.createdAt.toISOString(),
});

export async function listBlockedPhones(
  db: DbClient,
  { limit, cursor }: { limit: number; cursor?: string | undefined },
): Promise<{ items: BlockedPhoneEntry[]; nextCursor: string | null }> {
  const rows = await db.blockedPhone.findMany({
    where: cursor ? { value: { gt: cursor } } : {},
    orderBy: { value: "asc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > limit ? (page.at(-1)?.value ?? null) : null,
  };
}

export async function addBlockedPhone(
  ctx: AdminContext,
  input: { value: string; isPrefix: boolean; reason?: string | undefined },
  admin: Actor,
): Promise<BlockedPhoneEntry> {
  return ctx.db.$transaction(async (tx) => {
    const existing = await tx.blockedPhone.findUnique({ where: { value: input.value } });
    if (existing) {
      throw new BadInputError("ALREADY_BLOCKED", `value: ${input.value} is already blocked.`);
    }
    const row = await tx.blockedPhone.create({
      data: { value: input.value, isPrefix: input.isPrefix, reason: input.reason ?? null, createdById: admin.userId },
    });
    await auditAdminChange(tx, ctx, admin, null, {
      action: "admin.phone_blocked",
      targetType: "blocked_phone",
      targetId: row.id,
      details: { value: input.isPrefix ? input.value : maskPhone(input.value), isPrefix: input.isPrefix },
    });
    return toEntry(row);
  });
}

export async function removeBlockedPhone(ctx: AdminContext, id: string, admin: Actor): Promise<{ removed: true }> {
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.blockedPhone.findUnique({ where: { id } });
    if (!row) throw new NotFoundError("BLOCKED_PHONE_NOT_FOUND", `No blocked phone with id ${id}.`);
    await tx.blockedPhone.delete({ where: { id } });
    await auditAdminChange(tx, ctx, admin, null, {
      action: "admin.phone_unblocked",
      targetType: "blocked_phone",
      targetId: id,
      details: { value: row.isPrefix ? row.value : maskPhone(row.value), isPrefix: row.isPrefix },
    });
    return { removed: true as const };
  });
}
