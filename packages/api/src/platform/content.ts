import type { DbClient } from "@tenantry/db";
import { BadInputError, ContentNotFoundError, type Context } from "@tenantry/api-core";
import { parseAcceptLanguage } from "../messages/accept-language.ts";

type ReadContext = Pick<Context, "db" | "contentCache" | "settings" | "acceptLanguage">;

/**
 * The locale a reader asked for: `locale` if given, else the most wanted language of the
 * request's Accept-Language (in canonical form), else the platform default.
 */
export function requestedLocale(ctx: ReadContext, locale: string | undefined): string {
  if (locale) return locale;
  for (const { range, q } of parseAcceptLanguage(ctx.acceptLanguage)) {
    if (q === 0 || range === "*") continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(range);
      if (canonical) return canonical;
    } catch {
      // a range Intl does not take (e.g. an over-long subtag): try the next
    }
  }
  return ctx.settings.defaultLocale;
}

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

/** The published copy of an entry, as the public read selects it. */
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

const publishedColumns = {
  key: true,
  locale: true,
  publishedTitle: true,
  publishedBody: true,
  publishedAt: true,
} as const;
const isPublished = { publishedVersion: { not: null } };

type PublishedRow = {
  key: string;
  locale: string;
  publishedTitle: string | null;
  publishedBody: string | null;
  publishedAt: Date | null;
};

/** `updatedAt` is when the served text was published: drafts saved since change nothing here. */
const servedCopy = (row: PublishedRow): Row => ({
  key: row.key,
  locale: row.locale,
  title: row.publishedTitle ?? "",
  body: row.publishedBody ?? "",
  updatedAt: row.publishedAt ?? new Date(0),
});

function findPublished(db: DbClient, where: { key: string | { in: string[] }; locale: { in: string[] } }): Promise<Row[]> {
  return db.platformContent
    .findMany({ where: { ...where, ...isPublished }, select: publishedColumns })
    .then((rows) => rows.map(servedCopy));
}

/**
 * The published entry `key` in `locale` (or the best fallback), from the content cache: the
 * public read is the same few texts for every visitor. A miss is cached too.
 */
export async function getContent(ctx: ReadContext, input: { key: string; locale?: string | undefined }): Promise<ContentEntry> {
  const locale = requestedLocale(ctx, input.locale);
  const defaultLocale = ctx.settings.defaultLocale;
  const entry = await ctx.contentCache.get(`get\u0000${input.key}\u0000${locale}\u0000${defaultLocale}`, () =>
    findContent(ctx.db, { key: input.key, locale, defaultLocale }),
  );
  if (!entry) throw new ContentNotFoundError(input.key, locale);
  return entry;
}

async function findContent(
  db: DbClient,
  input: { key: string; locale: string; defaultLocale: string },
): Promise<ContentEntry | null> {
  const chain = localeFallbacks(input.locale, input.defaultLocale);
  const rows = await findPublished(db, { key: input.key, locale: { in: chain } });
  const row = pickBest(rows, chain).get(input.key);
  return row ? toEntry(row, input.locale) : null;
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

/** A page of published content, from the content cache (see `getContent`). */
export function listContent(
  ctx: ReadContext,
  input: { locale?: string | undefined; prefix?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<ContentPage> {
  const locale = requestedLocale(ctx, input.locale);
  const defaultLocale = ctx.settings.defaultLocale;
  const cacheKey = ["list", locale, defaultLocale, input.prefix ?? "", input.limit, input.cursor ?? ""].join("\u0000");
  return ctx.contentCache.get(cacheKey, () => findContentPage(ctx.db, { ...input, locale, defaultLocale }));
}

/**
 * Published content in a locale (each key in the best locale of its fallback chain), ordered
 * by key, a page of keys at a time.
 */
async function findContentPage(
  db: DbClient,
  input: { locale: string; defaultLocale: string; prefix?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<ContentPage> {
  const chain = localeFallbacks(input.locale, input.defaultLocale);
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const where = {
    ...isPublished,
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
  const rows = await findPublished(db, { locale: { in: chain }, key: { in: pageKeys } });
  const best = pickBest(rows, chain);
  const items = pageKeys.flatMap((key) => {
    const row = best.get(key);
    return row ? [toEntry(row, input.locale)] : [];
  });
  const last = pageKeys.at(-1);
  return { items, nextCursor: keys.length > input.limit && last ? encodeCursor(last) : null };
}
