import { pageInput, strictBoolean } from "@tenantry/module-sdk";
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000);
const currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code in capitals, such as EUR");
const slug = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case kebab-case, such as summer-sale");

export const productIdInput = z.object({ productId: z.uuid() });
export const categoryIdInput = z.object({ categoryId: z.uuid() });
export const orderIdInput = z.object({ orderId: z.uuid() });

const productFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  /** Minor units (cents). */
  priceMinor: z.number().int().min(0).max(100_000_000),
  /** Defaults to the shop's currency setting. */
  currency,
  stock: z.number().int().min(0).max(1_000_000),
  active: strictBoolean(),
  images: z.array(httpUrl).max(10),
  categoryId: z.uuid().nullable(),
};

export const createProductInput = z.object({
  ...productFields,
  description: productFields.description.default(""),
  currency: productFields.currency.optional(),
  stock: productFields.stock.default(0),
  active: productFields.active.default(true),
  images: productFields.images.default([]),
  categoryId: productFields.categoryId.optional(),
});

export const updateProductInput = productIdInput.extend(
  Object.fromEntries(Object.entries(productFields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof productFields]: z.ZodOptional<(typeof productFields)[K]>;
  },
);

export const productSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    priceMinor: z.number().int(),
    currency: z.string(),
    stock: z.number().int(),
    active: z.boolean(),
    images: z.array(z.string()),
    categoryId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "ShopProduct" });

/** What a storefront shows: active products only, availability rather than the stock count. */
export const storefrontProductSchema = productSchema
  .pick({ id: true, name: true, description: true, priceMinor: true, currency: true, images: true, categoryId: true })
  .extend({ inStock: z.boolean() })
  .meta({ id: "ShopStorefrontProduct" });

export const storefrontProductsInput = z.object({
  ...pageInput,
  categoryId: z.uuid().optional(),
});

export const categoryFields = {
  name: z.string().trim().min(1).max(100),
  slug,
  position: z.number().int().min(0).max(10_000),
};
export const createCategoryInput = z.object({ ...categoryFields, position: categoryFields.position.default(0) });
export const updateCategoryInput = categoryIdInput.extend({
  name: categoryFields.name.optional(),
  slug: categoryFields.slug.optional(),
  position: categoryFields.position.optional(),
});

export const categorySchema = z
  .object({ id: z.uuid(), name: z.string(), slug: z.string(), position: z.number().int() })
  .meta({ id: "ShopCategory" });

export const orderStatus = z.enum(["paid", "shipped", "delivered", "cancelled"]);

export const placeOrderInput = z.object({
  items: z
    .array(z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(100) }))
    .min(1, "an order needs at least one item")
    .max(50)
    // Ids are compared as the database does: case does not matter in a UUID.
    .refine((items) => new Set(items.map((i) => i.productId.toLowerCase())).size === items.length, "list each product once"),
  note: z.string().max(1000).default(""),
});

export const orderSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    status: orderStatus,
    totalMinor: z.number().int(),
    currency: z.string(),
    note: z.string(),
    items: z.array(
      z.object({ productId: z.uuid(), name: z.string(), unitPriceMinor: z.number().int(), quantity: z.number().int() }),
    ),
    createdAt: z.iso.datetime(),
    shippedAt: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "ShopOrder" });

export const listOrdersInput = z.object({ ...pageInput, status: orderStatus.optional() });

export const updateOrderStatusInput = orderIdInput.extend({
  status: z.enum(["shipped", "delivered", "cancelled"]),
});

export const storefrontSchema = z
  .object({
    title: z.string(),
    currency: z.string(),
    theme: z.object({
      primaryColor: z.string(),
      accentColor: z.string(),
      backgroundColor: z.string(),
      textColor: z.string(),
    }),
  })
  .meta({ id: "ShopStorefront" });
