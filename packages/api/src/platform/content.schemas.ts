import { z } from "zod";

export const contentKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "must be lower-case words joined by dots, e.g. legal.terms")
  .meta({ description: "Content key, e.g. `legal.terms`.", example: "legal.terms" });

/** A BCP 47 tag, returned in canonical form (`de-ch` → `de-CH`). */
export const localeSchema = z
  .string()
  .max(35)
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // falls through to the issue below
    }
    ctx.addIssue({ code: "custom", message: "must be a BCP 47 language tag such as en or de-CH" });
    return z.NEVER;
  })
  .meta({ description: "BCP 47 language tag; falls back to the language, then the platform default.", example: "en" });

export const contentEntrySchema = z
  .object({
    key: z.string(),
    locale: z.string().meta({ description: "The locale served (may be a fallback)." }),
    fallback: z.boolean().meta({ description: "True when `locale` differs from the one requested." }),
    title: z.string(),
    body: z.string(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "ContentEntry" });

export const getContentInput = z.object({
  key: contentKeySchema,
  locale: localeSchema.optional(),
});

export const listContentInput = z.object({
  locale: localeSchema.optional(),
  prefix: z
    .string()
    .max(100)
    .regex(/^[a-z0-9._-]*$/, "may contain only lower-case letters, digits, dots, dashes and underscores")
    .optional()
    .meta({ description: "Only keys starting with this, e.g. `legal.`." }),
  limit: z.coerce.number<number>().int().min(1).max(100).default(20).meta({ description: "Entries per page, 1–100." }),
  cursor: z.string().max(200).meta({ description: "`nextCursor` of the previous page." }).optional(),
});

export const contentPageSchema = z
  .object({
    items: z.array(contentEntrySchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "ContentPage" });
