import {
  BadInputError,
  ConflictError,
  NotFoundError,
  UniqueConstraintError,
  type CursorPage,
  type TenantDb,
} from "@tenantry/module-sdk";
import { z } from "zod";
import type { ShopContext } from "./shop-context.ts";

export class CategoryNotFoundError extends NotFoundError {
  constructor() {
    super("CATEGORY_NOT_FOUND", "categoryId: no such category in this shop.");
  }
}

type CategoryRow = { id: string; name: string; slug: string; position: number };
const toCategory = ({ id, name, slug, position }: CategoryRow) => ({ id, name, slug, position });

/** A page position in display order: (position, name, id). */
const encodePosition = (row: CategoryRow) =>
  Buffer.from(JSON.stringify([row.position, row.name, row.id]), "utf8").toString("base64url");

const positionSchema = z.tuple([z.number().int().min(0).max(10_000), z.string().max(100), z.uuid()]);

function decodePosition(cursor: string): { position: number; name: string; id: string } {
  let parsed;
  try {
    parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new BadInputError("INVALID_CURSOR", "cursor: not a cursor this endpoint returned.");
  const [position, name, id] = parsed.data;
  return { position, name, id };
}

/** Categories in display order (`position`, then name), a page at a time. */
export async function listCategories(
  ctx: Pick<ShopContext, "tenantDb">,
  input: { cursor?: string | undefined; limit: number },
): Promise<CursorPage<CategoryRow>> {
  const after = input.cursor ? decodePosition(input.cursor) : undefined;
  const rows = await ctx.tenantDb.shopCategory.findMany({
    where: after
      ? {
          OR: [
            { position: { gt: after.position } },
            { position: after.position, name: { gt: after.name } },
            { position: after.position, name: after.name, id: { gt: after.id } },
          ],
        }
      : {},
    orderBy: [{ position: "asc" }, { name: "asc" }, { id: "asc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit).map(toCategory);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > input.limit && last ? encodePosition(last) : null };
}

/** Refuses a category id this tenant does not have (the FK alone would accept another tenant's). */
export async function requireCategory(tenantDb: TenantDb, categoryId: string): Promise<void> {
  const found = await tenantDb.shopCategory.findUnique({ where: { id: categoryId }, select: { id: true } });
  if (!found) throw new CategoryNotFoundError();
}

const slugTaken = (slug: string) => new ConflictError("CATEGORY_SLUG_TAKEN", `slug: this shop already has a category "${slug}".`);

async function requireFreeSlug(tenantDb: TenantDb, slug: string, exceptId?: string) {
  const taken = await tenantDb.shopCategory.findFirst({ where: { slug, ...(exceptId ? { id: { not: exceptId } } : {}) } });
  if (taken) throw slugTaken(slug);
}

/** The check above answers the common case; the unique index decides a race for one slug. */
async function writingSlug<T>(slug: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (slug && error instanceof UniqueConstraintError) throw slugTaken(slug);
    throw error;
  }
}

export async function createCategory(ctx: ShopContext, input: { name: string; slug: string; position: number }) {
  await requireFreeSlug(ctx.tenantDb, input.slug);
  return toCategory(
    await writingSlug(input.slug, () => ctx.tenantDb.shopCategory.create({ data: { tenantId: ctx.tenant.id, ...input } })),
  );
}

export async function updateCategory(
  ctx: ShopContext,
  {
    categoryId,
    ...changes
  }: { categoryId: string; name?: string | undefined; slug?: string | undefined; position?: number | undefined },
) {
  await requireCategory(ctx.tenantDb, categoryId);
  if (changes.slug) await requireFreeSlug(ctx.tenantDb, changes.slug, categoryId);
  return toCategory(
    await writingSlug(changes.slug, () => ctx.tenantDb.shopCategory.update({ where: { id: categoryId }, data: changes })),
  );
}

/** Its products stay, uncategorised. */
export async function deleteCategory(ctx: ShopContext, categoryId: string) {
  await requireCategory(ctx.tenantDb, categoryId);
  const { count } = await ctx.tenantDb.shopProduct.updateMany({ where: { categoryId }, data: { categoryId: null } });
  await ctx.tenantDb.shopCategory.delete({ where: { id: categoryId } });
  return { deleted: true as const, productsUncategorised: count };
}
