import { BadInputError } from "../errors/app-errors.ts";
import { z } from "zod";

/**
 * Keyset pagination, newest first: rows ordered by (createdAt desc, id desc), the cursor the
 * last row's position. Stable under inserts, one index range scan per page.
 */
export interface CursorPage<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface Position {
  createdAt: Date;
  id: string;
}

export function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): Position {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at ?? "");
  // Only what encodeCursor writes: an ISO instant the database can hold, and a UUID.
  const valid =
    rest.length === 0 &&
    id !== undefined &&
    z.uuid().safeParse(id).success &&
    !Number.isNaN(createdAt.getTime()) &&
    createdAt.toISOString() === at &&
    createdAt.getUTCFullYear() >= 1970 &&
    createdAt.getUTCFullYear() <= 9999;
  if (!valid) {
    throw new BadInputError("INVALID_CURSOR", "cursor: not a cursor this endpoint returned.");
  }
  return { createdAt, id };
}

/** Input fields of every paginated list. (REST passes them as query parameters, hence coerce.) */
export const pageInput = {
  cursor: z
    .string()
    .max(200)
    .meta({
      description: "The `nextCursor` of the previous page; leave it out for the first page. Opaque: pass it back as it came.",
    })
    .optional(),
  limit: z.coerce
    .number<number>()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .meta({ description: "Items per page, 1–100. Pages are newest first; `nextCursor` is null on the last one." }),
};

/**
 * The Prisma arguments for one page: `where` (rows after the cursor), `orderBy`, and `take`
 * (one more than the page, to know whether another follows).
 */
export function pageQuery(input: { cursor?: string | undefined; limit: number }) {
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  return {
    // (createdAt, id) < (cursor): written so `createdAt <= cursor` bounds the index scan, which
    // the OR alone cannot (the database would read and discard every row before the cursor).
    where: after
      ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] }
      : {},
    orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
    take: input.limit + 1,
  };
}

/** Cuts the extra row off and makes the next cursor from the last row kept. */
export function cursorPage<Row extends Position, Item = Row>(
  rows: Row[],
  limit: number,
  toItem?: (row: Row) => Item,
): CursorPage<Item> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: toItem ? page.map(toItem) : (page as unknown as Item[]),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

/** The output schema of a page of `item`. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
