import type { DbClient } from "@tenantry/db";
import { BadInputError, NotFoundError } from "@tenantry/api-core";

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
  db: DbClient,
  input: { value: string; isPrefix: boolean; reason?: string | undefined },
  adminId: string,
): Promise<BlockedPhoneEntry> {
  const existing = await db.blockedPhone.findUnique({ where: { value: input.value } });
  if (existing) {
    throw new BadInputError("ALREADY_BLOCKED", `value: ${input.value} is already blocked.`);
  }
  const row = await db.blockedPhone.create({
    data: { value: input.value, isPrefix: input.isPrefix, reason: input.reason ?? null, createdById: adminId },
  });
  return toEntry(row);
}

export async function removeBlockedPhone(db: DbClient, id: string): Promise<{ removed: true }> {
  const deleted = await db.blockedPhone.deleteMany({ where: { id } });
  if (deleted.count === 0) throw new NotFoundError("BLOCKED_PHONE_NOT_FOUND", `No blocked phone with id ${id}.`);
  return { removed: true };
}
