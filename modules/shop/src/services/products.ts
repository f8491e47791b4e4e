import { ConflictError, cursorPage, ForeignKeyConstraintError, NotFoundError, pageQuery } from "@tenantry/module-sdk";
import { CategoryNotFoundError, requireCategory } from "./categories.ts";
import type { ShopContext } from "./shop-context.ts";

export class ProductNotFoundError extends NotFoundError {
  constructor() {
    super("PRODUCT_NOT_FOUND", "productId: no such product in this shop.");
  }
}

interface ProductRow {
  id: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  stock: number;
  active: boolean;
  images: string[];
  categoryId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const toProduct = (row: ProductRow) => ({
  id: row.id,
  name: row.name,
  description: row.description,
  priceMinor: row.priceMinor,
  currency: row.currency,
  stock: row.stock,
  active: row.active,
  images: row.images,
  categoryId: row.categoryId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const toStorefrontProduct = (row: ProductRow) => ({
  id: row.id,
  name: row.name,
  description: row.description,
  priceMinor: row.priceMinor,
  currency: row.currency,
  images: row.images,
  categoryId: row.categoryId,
  inStock: row.stock > 0,
});

/** Active products, newest first, optionally of one category. */
export async function listStorefrontProducts(
  ctx: Pick<ShopContext, "tenantDb">,
  input: { cursor?: string | undefined; limit: number; categoryId?: string | undefined },
) {
  const page = pageQuery(input);
  const rows = await ctx.tenantDb.shopProduct.findMany({
    ...page,
    where: { AND: [{ active: true }, input.categoryId ? { categoryId: input.categoryId } : {}, page.where] },
  });
  return cursorPage(rows, input.limit, toStorefrontProduct);
}

export async function getStorefrontProduct(ctx: Pick<ShopContext, "tenantDb">, productId: string) {
  const row = await ctx.tenantDb.shopProduct.findFirst({ where: { id: productId, active: true } });
  if (!row) throw new ProductNotFoundError();
  return toStorefrontProduct(row);
}

/** Every product, inactive ones too, with stock: the catalogue as its managers see it. */
export async function listCatalogProducts(
  ctx: Pick<ShopContext, "tenantDb">,
  input: { cursor?: string | undefined; limit: number },
) {
  const page = pageQuery(input);
  return cursorPage(await ctx.tenantDb.shopProduct.findMany(page), input.limit, toProduct);
}

export async function createProduct(
  ctx: ShopContext,
  input: {
    name: string;
    description: string;
    priceMinor: number;
    currency?: string | undefined;
    stock: number;
    active: boolean;
    images: string[];
    categoryId?: string | null | undefined;
  },
) {
  if (input.categoryId) await requireCategory(ctx.tenantDb, input.categoryId);
  const row = await categoryMayVanish(() =>
    ctx.tenantDb.shopProduct.create({
      data: {
        ...input,
        tenantId: ctx.tenant.id,
        currency: input.currency ?? ctx.settings.currency,
        categoryId: input.categoryId ?? null,
      },
    }),
  );
  return toProduct(row);
}

export async function updateProduct(
  ctx: ShopContext,
  { productId, ...changes }: { productId: string } & Partial<Omit<ProductRow, "id" | "createdAt" | "updatedAt">>,
) {
  const found = await ctx.tenantDb.shopProduct.findUnique({ where: { id: productId }, select: { id: true } });
  if (!found) throw new ProductNotFoundError();
  if (changes.categoryId) await requireCategory(ctx.tenantDb, changes.categoryId);
  return toProduct(await categoryMayVanish(() => ctx.tenantDb.shopProduct.update({ where: { id: productId }, data: changes })));
}

const productHasOrders = () =>
  new ConflictError(
    "PRODUCT_HAS_ORDERS",
    "This product has been ordered, so its orders still refer to it; set active: false to take it off the storefront.",
  );

/** The category was checked, but a concurrent delete may remove it before the write lands. */
async function categoryMayVanish<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ForeignKeyConstraintError) throw new CategoryNotFoundError();
    throw error;
  }
}

/** A product that was ever ordered stays (its orders name it); deactivate it instead. */
export async function deleteProduct(ctx: ShopContext, productId: string) {
  const found = await ctx.tenantDb.shopProduct.findUnique({
    where: { id: productId },
    select: { id: true, _count: { select: { orderItems: true } } },
  });
  if (!found) throw new ProductNotFoundError();
  if (found._count.orderItems > 0) throw productHasOrders();
  try {
    await ctx.tenantDb.shopProduct.delete({ where: { id: productId } });
  } catch (error) {
    // An order for it committed between the count above and the delete.
    if (error instanceof ForeignKeyConstraintError) throw productHasOrders();
    throw error;
  }
  return { deleted: true as const };
}
