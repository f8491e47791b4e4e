import { pageInput, pageOf, router } from "@tenantry/module-sdk";
import { z } from "zod";
import {
  categorySchema,
  productIdInput,
  storefrontProductSchema,
  storefrontProductsInput,
  storefrontSchema,
} from "../schemas.ts";
import { listCategories } from "../services/categories.ts";
import { getStorefrontProduct, listStorefrontProducts } from "../services/products.ts";
import { shop } from "../shop.ts";

/** What anyone on the tenant's domain sees, signed in or not. */
export const storefrontProcedures = {
  storefront: router({
    get: shop.storefrontProcedure
      .meta(
        shop.rest({
          method: "GET",
          path: "/storefront",
          description:
            "The storefront's title, currency and theme from the shop's settings. Anyone may call it; a token, when sent, is checked.",
          protect: false,
          summary: "The storefront's title, currency and theme",
        }),
      )
      .input(z.object({}).optional())
      .output(storefrontSchema)
      .query(({ ctx }) => ({ title: ctx.settings.storefrontTitle, currency: ctx.settings.currency, theme: ctx.settings.theme })),
  }),

  products: router({
    list: shop.storefrontProcedure
      .meta(
        shop.rest({
          method: "GET",
          path: "/products",
          description: "Active products, newest first, cursor-paginated, optionally in one category. Anyone may call it.",
          protect: false,
          summary: "Products for sale, newest first",
        }),
      )
      .input(storefrontProductsInput)
      .output(pageOf(storefrontProductSchema))
      .query(({ ctx, input }) => listStorefrontProducts(ctx, input)),

    get: shop.storefrontProcedure
      .meta(
        shop.rest({
          method: "GET",
          path: "/products/{productId}",
          description: "One active product. Inactive and unknown products both answer 404.",
          errors: { 404: ["PRODUCT_NOT_FOUND"] },
          protect: false,
          summary: "One product for sale",
        }),
      )
      .input(productIdInput)
      .output(storefrontProductSchema)
      .query(({ ctx, input }) => getStorefrontProduct(ctx, input.productId)),
  }),

  categories: router({
    list: shop.storefrontProcedure
      .meta(
        shop.rest({
          method: "GET",
          path: "/categories",
          description: "The shop's categories in display order. Anyone may call it.",
          protect: false,
          summary: "Categories, in display order",
        }),
      )
      .input(z.object(pageInput))
      .output(pageOf(categorySchema))
      .query(({ ctx, input }) => listCategories(ctx, input)),
  }),
};
