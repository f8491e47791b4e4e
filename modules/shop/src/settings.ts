import { z } from "zod";

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour such as #1f6feb");

/** A tenant's shop settings; every field has a default, so a new shop works at once. */
export const shopSettings = z.object({
  /** The currency new products are priced in (ISO 4217). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code in capitals, such as EUR")
    .default("EUR"),
  storefrontTitle: z.string().trim().min(1, "must not be empty").max(80).default("Shop"),
  theme: z
    .object({
      primaryColor: colour.default("#1f6feb"),
      accentColor: colour.default("#f78166"),
      backgroundColor: colour.default("#ffffff"),
      textColor: colour.default("#1f2328"),
    })
    .prefault({}),
});

export type ShopSettings = z.output<typeof shopSettings>;
