import type { ModuleHookContext } from "@tenantry/module-sdk";
import { createCategory } from "./services/categories.ts";
import { createProduct } from "./services/products.ts";
import type { ShopSettings } from "./settings.ts";

/**
 * The development demo tenant's shop: two categories and a handful of products, one of them
 * sold out, written through the same services as the admin procedures (so they are checked the
 * same way). Prices are in the shop's default currency.
 */
export async function shopDemoData(ctx: ModuleHookContext<ShopSettings>): Promise<void> {
  const mugs = await createCategory(ctx, { name: "Mugs", slug: "mugs", position: 1 });
  const prints = await createCategory(ctx, { name: "Prints", slug: "prints", position: 2 });
  const products = [
    { name: "Blue mug", description: "Stoneware, 350 ml, dishwasher safe.", priceMinor: 1250, stock: 10, categoryId: mugs.id },
    { name: "Tall latte mug", description: "Porcelain, 450 ml.", priceMinor: 1490, stock: 3, categoryId: mugs.id },
    { name: "Harbour at dawn", description: "Giclée print, A3, unframed.", priceMinor: 2900, stock: 25, categoryId: prints.id },
    { name: "City map poster", description: "Offset print, 50 × 70 cm.", priceMinor: 1900, stock: 0, categoryId: prints.id },
  ];
  for (const product of products) {
    await createProduct(ctx, { ...product, active: true, images: [] });
  }
  ctx.log.info({ categories: 2, products: products.length }, "shop demo data written");
}
