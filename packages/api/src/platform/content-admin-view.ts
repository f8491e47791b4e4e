import { BadInputError, NotFoundError, type Context, type CursorPage } from "@tenantry/api-core";
import type { PlatformContent } from "@tenantry/db";
import { z } from "zod";

/**
 * Platform admins' view of content: every entry in every locale, drafts included, with what is
 * published beside the working copy, and each entry's version history.
 */
export type ContentRow = PlatformContent;

export interface AdminContentEntry {
  id: string;
  key: string;
  locale: string;
  /** The working copy: the latest version. */
  title: string;
  body: string;
  version: number;
  /** What the public read serves; null while unpublished. */
  published: { version: number; title: string; body: string; publishedAt: string } | null;
  /** True when the working copy differs from what is published (or nothing is). */
  hasUnpublishedChanges: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toAdminEntry(row: ContentRow): AdminContentEntry {
  const published =
    row.publishedVersion !== null && row.publishedTitle !== null && row.publishedBody !== null && row.publishedAt !== null
      ? {
          version: row.publishedVersion,
          title: row.publishedTitle,
          body: row.publishedBody,
          publishedAt: row.publishedAt.toISOString(),
        }
      : null;
  return {
    id: row.id,
    key: row.key,
    locale: row.locale,
    title: row.title,
    body: row.body,
    version: row.version,
    published,
    hasUnpublishedChanges: row.publishedVersion !== row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

type ReadContext = Pick<Context, "db">;

/** Keyset over (key, locale): the cursor is the last entry's pair, as JSON in base64url. */
const keysetCursor = z.tuple([z.string().max(100), z.string().max(35)]);

function decodeEntryCursor(cursor: string): [string, string] {
  try {
    const parsed = keysetCursor.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: refused below
  }
  throw new BadInputError("INVALID_CURSOR", "cursor: not a cursor this endpoint returned.");
}

const encodeEntryCursor = (row: { key: string; locale: string }) =>
  Buffer.from(JSON.stringify([row.key, row.locale]), "utf8").toString("base64url");

export type ContentState = "published" | "unpublished" | "changed";

/** Every entry, ordered by key then locale; narrowed by key prefix, locale and state. */
export async function listContentEntries(
  ctx: ReadContext,
  input: {
    prefix?: string | undefined;
    locale?: string | undefined;
    state?: ContentState | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<CursorPage<AdminContentEntry>> {
  const after = input.cursor ? decodeEntryCursor(input.cursor) : undefined;
  const stateFilter = {
    published: { publishedVersion: { not: null } },
    unpublished: { publishedVersion: null },
    // The working copy is ahead of what is published (a field compared with another).
    changed: { OR: [{ publishedVersion: null }, { version: { gt: ctx.db.platformContent.fields.publishedVersion } }] },
  }[input.state ?? "published"];
  const rows = await ctx.db.platformContent.findMany({
    where: {
      AND: [
        input.prefix ? { key: { startsWith: input.prefix } } : {},
        input.locale ? { locale: input.locale } : {},
        input.state ? stateFilter : {},
        after ? { OR: [{ key: { gt: after[0] } }, { key: after[0], locale: { gt: after[1] } }] } : {},
      ],
    },
    orderBy: [{ key: "asc" }, { locale: "asc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { items: page.map(toAdminEntry), nextCursor: rows.length > input.limit && last ? encodeEntryCursor(last) : null };
}

export async function getContentEntry(ctx: ReadContext, ref: { key: string; locale: string }): Promise<AdminContentEntry> {
  const row = await ctx.db.platformContent.findUnique({ where: { key_locale: ref } });
  if (!row) throw new NotFoundError("CONTENT_NOT_FOUND", `key: no content "${ref.key}" in locale "${ref.locale}".`);
  return toAdminEntry(row);
}

export interface ContentVersionEntry {
  version: number;
  title: string;
  body: string;
  /** The admin who saved it; null for seeded content or an account since deleted. */
  author: { id: string; email: string | null; displayName: string | null } | null;
  createdAt: string;
  /** True for the version the public read serves. */
  published: boolean;
}

/** An entry's history, newest first, a page of versions at a time (the cursor is a version number). */
export async function listContentVersions(
  ctx: ReadContext,
  input: { key: string; locale: string; limit: number; cursor?: string | undefined },
): Promise<CursorPage<ContentVersionEntry>> {
  const entry = await ctx.db.platformContent.findUnique({
    where: { key_locale: { key: input.key, locale: input.locale } },
    select: { id: true, publishedVersion: true },
  });
  if (!entry) throw new NotFoundError("CONTENT_NOT_FOUND", `key: no content "${input.key}" in locale "${input.locale}".`);
  const before = input.cursor === undefined ? undefined : Number(input.cursor);
  if (before !== undefined && !(Number.isSafeInteger(before) && before > 0 && String(before) === input.cursor)) {
    throw new BadInputError("INVALID_CURSOR", "cursor: not a cursor this endpoint returned.");
  }
  const rows = await ctx.db.platformContentVersion.findMany({
    where: { contentId: entry.id, ...(before ? { version: { lt: before } } : {}) },
    orderBy: { version: "desc" },
    take: input.limit + 1,
    include: { author: { select: { id: true, email: true, displayName: true } } },
  });
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      version: row.version,
      title: row.title,
      body: row.body,
      author: row.author,
      createdAt: row.createdAt.toISOString(),
      published: row.version === entry.publishedVersion,
    })),
    nextCursor: rows.length > input.limit && page.length ? String(page.at(-1)!.version) : null,
  };
}
