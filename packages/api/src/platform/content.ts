import type { DbClient } from "@tenantry/db";
import { BadInputError, ContentNotFoundError } from "@tenantry/api-core";

export interface ContentEntry {
  key: string;
  /** The locale actually served. */
  locale: string;
  /** True when `locale` is a fallback for the one asked for. */
  fallback: boolean;
  title: string;
  body: string;
  updatedAt: string;
}

/**
 * The locales to try, most specific first: `de-CH` → `de-CH`, `de`, then the platform
 * default. Tags are canonical (see the input schema), so comparisons are exact.
 */
export function localeFallbacks(requested: string, defaultLocale: string): string[] {
  const chain: string[] = [];
  const parts = requested.split("-");
  for (let n = parts.length; n > 0; n--) chain.push(parts.slice(0, n).join("-"));
  if (!chain.includes(defaultLocale)) chain.push(defaultLocale);
  return chain;
}

type Row = { key: string; locale: string; title: string; body: string; updatedAt: Date };

function toEntry(row: Row, requested: string): ContentEntry {
  return {
    key: row.key,
    locale: row.locale,
    fallback: row.locale !== requested,
    title: row.title,
    body: row.body,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The best row per key along the fallback chain. */
function pickBest(rows: Row[], chain: string[]): Map<string, Row> {
  const best = new Map<string, Row>();
  for (const row of rows) {
    const current = best.get(row.key);
    if (!current || chain.indexOf(row.locale) < chain.indexOf(current.locale)) best.set(row.key, row);
  }
  return best;
}

const contentColumns = { key: true, locale: true, title: true, body: true, updatedAt: true } as const;

export async function getContent(
  db: DbClient,
  input: { key: string; locale: string; defaultLocale: string },
): Promise<ContentEntry> {
  const chain = localeFallbacks(input.locale, input.defaultLocale);
  const rows = await db.platformContent.findMany({
    where: { key: input.key, locale: { in: chain }, published: true },
    select: contentColumns,
  });
  const row = pickBest(rows, chain).get(input.key);
  if (!row) throw new ContentNotFoundError(input.key, input.locale);
  return toEntry(row, input.locale);
}

export interface ContentPage {
  items: ContentEntry[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Cursors are opaque to clients: the last key of the page, base64url-encoded. */
function encodeCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!key || encodeCursor(key) !== cursor) {
    throw new BadInputError("INVALID_CURSOR", "cursor: not a cursor this endpoint returned.");
  }
  return key;
}

/**
 * Published content in a locale (each key in the best locale of its fallback chain), ordered
 * by key, a page of keys at a time.
 */
export async function listContent(
  db: DbClient,
  input: { locale: string; defaultLocale: string; prefix?: string; limit: number; cursor?: string },
): Promise<ContentPage> {
  const chain = localeFallbacks(input.locale, input.defaultLocale);
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const where = {
    published: true,
    locale: { in: chain },
    key: {
      ...(input.prefix ? { startsWith: input.prefix } : {}),
      ...(after ? { gt: after } : {}),
    },
  };
  const keys = await db.platformContent.findMany({
    where,
    distinct: ["key"],
    orderBy: { key: "asc" },
    take: input.limit + 1,
    select: { key: true },
  });
  const pageKeys = keys.slice(0, input.limit).map((k) => k.key);
  const rows = await db.platformContent.findMany({
    where: { published: true, locale: { in: chain }, key: { in: pageKeys } },
    select: contentColumns,
  });
  const best = pickBest(rows, chain);
  const items = pageKeys.flatMap((key) => {
    const row = best.get(key);
    return row ? [toEntry(row, input.locale)] : [];
  });
  const last = pageKeys.at(-1);
  return { items, nextCursor: keys.length > input.limit && last ? encodeCursor(last) : null };
}
