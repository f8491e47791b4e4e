import { ConflictError, NotFoundError, UniqueConstraintError, type TenantDb } from "@tenantry/module-sdk";
import type { ShopContext } from "./shop-context.ts";

export class CategoryNotFoundError extends NotFoundError {
  constructor() {
    super("CATEGORY_NOT_FOUND", "categoryId: no such category in this shop.");
  }
}

type CategoryRow = { id: string; name: string; slug: string; position: number };
const toCategory = ({ id, name, slug, position }: CategoryRow) => ({ id, name, slug, position });

/** Categories in display order. (A shop has few; they come as one list.) */
export async function listCategories(ctx: Pick<ShopContext, "tenantDb">) {
  const rows = await ctx.tenantDb.shopCategory.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }] });
  return rows.map(toCategory);
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
  return toCategory(await writingSlug(input.slug, () => ctx.tenantDb.shopCategory.create({ data: { tenantId: ctx.tenant.id, ...input } })));
}

export async function updateCategory(
  ctx: ShopContext,
  { categoryId, ...changes }: { categoryId: string; name?: string | undefined; slug?: string | undefined; position?: number | undefined },
) {
  await requireCategory(ctx.tenantDb, categoryId);
  if (changes.slug) await requireFreeSlug(ctx.tenantDb, changes.slug, categoryId);
  return toCategory(await writingSlug(changes.slug, () => ctx.tenantDb.shopCategory.update({ where: { id: categoryId }, data: changes })));
}

/** Its products stay, uncategorised. */
export async function deleteCategory(ctx: ShopContext, categoryId: string) {
  await requireCategory(ctx.tenantDb, categoryId);
  const { count } = await ctx.tenantDb.shopProduct.updateMany({ where: { categoryId }, data: { categoryId: null } });
  await ctx.tenantDb.shopCategory.delete({ where: { id: categoryId } });
  return { deleted: true as const, productsUncategorised: count };
}
