import { pageInput, pageOf, router } from "@tenantry/module-sdk";
import { z } from "zod";
import {
  categoryIdInput,
  categorySchema,
  createCategoryInput,
  createProductInput,
  productIdInput,
  productSchema,
  updateCategoryInput,
  updateProductInput,
} from "../schemas.ts";
import { createCategory, deleteCategory, updateCategory } from "../services/categories.ts";
import { createProduct, deleteProduct, listCatalogProducts, updateProduct } from "../services/products.ts";
import { shop } from "../shop.ts";

const manager = () => shop.permittedProcedure("catalog.manage");

/** Managing products and categories (the `catalog.manage` permission). */
export const catalogRouter = router({
  products: router({
    list: manager()
      .meta(
        shop.rest({
          method: "GET",
          path: "/catalog/products",
          description: "Every product, inactive ones too, with stock: the shop's back office. Needs `catalog.manage`.",
          summary: "Every product, inactive ones too, with stock",
        }),
      )
      .input(z.object(pageInput))
      .output(pageOf(productSchema))
      .query(({ ctx, input }) => listCatalogProducts(ctx, input)),

    create: manager()
      .meta(
        shop.rest({
          method: "POST",
          path: "/catalog/products",
          created: true,
          errors: { 404: ["CATEGORY_NOT_FOUND"] },
          summary: "Add a product",
          description: "Priced in the shop's currency unless `currency` says otherwise.",
        }),
      )
      .input(createProductInput)
      .output(productSchema)
      .mutation(({ ctx, input }) => createProduct(ctx, input)),

    update: manager()
      .meta(
        shop.rest({
          method: "PATCH",
          path: "/catalog/products/{productId}",
          description: "Changes a product's fields; stock is set, not adjusted (orders take stock atomically).",
          errors: { 404: ["CATEGORY_NOT_FOUND", "PRODUCT_NOT_FOUND"] },
          summary: "Change a product",
        }),
      )
      .input(updateProductInput)
      .output(productSchema)
      .mutation(({ ctx, input }) => updateProduct(ctx, input)),

    delete: manager()
      .meta(
        shop.rest({
          method: "DELETE",
          path: "/catalog/products/{productId}",
          description: "Deletes a product no order refers to; deactivate ordered products instead.",
          errors: { 404: ["PRODUCT_NOT_FOUND"], 409: ["PRODUCT_HAS_ORDERS"] },
          summary: "Delete a product that was never ordered",
        }),
      )
      .input(productIdInput)
      .output(z.object({ deleted: z.literal(true) }))
      .mutation(({ ctx, input }) => deleteProduct(ctx, input.productId)),
  }),

  categories: router({
    create: manager()
      .meta(
        shop.rest({
          method: "POST",
          path: "/catalog/categories",
          created: true,
          description: "Adds a category with a slug unique in the shop.",
          errors: { 409: ["CATEGORY_SLUG_TAKEN"] },
          summary: "Add a category",
        }),
      )
      .input(createCategoryInput)
      .output(categorySchema)
      .mutation(({ ctx, input }) => createCategory(ctx, input)),

    update: manager()
      .meta(
        shop.rest({
          method: "PATCH",
          path: "/catalog/categories/{categoryId}",
          description: "Renames, re-slugs or reorders a category.",
          errors: { 404: ["CATEGORY_NOT_FOUND"], 409: ["CATEGORY_SLUG_TAKEN"] },
          summary: "Change a category",
        }),
      )
      .input(updateCategoryInput)
      .output(categorySchema)
      .mutation(({ ctx, input }) => updateCategory(ctx, input)),

    delete: manager()
      .meta(
        shop.rest({
          method: "DELETE",
          path: "/catalog/categories/{categoryId}",
          description: "Deletes a category; its products stay, without a category.",
          errors: { 404: ["CATEGORY_NOT_FOUND"] },
          summary: "Delete a category; its products stay, uncategorised",
        }),
      )
      .input(categoryIdInput)
      .output(z.object({ deleted: z.literal(true), productsUncategorised: z.number().int() }))
      .mutation(({ ctx, input }) => deleteCategory(ctx, input.categoryId)),
  }),
});
