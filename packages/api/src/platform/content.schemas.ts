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
      // What the database's check constraint takes: a 2–3 letter language and 2–8 character subtags.
      if (canonical && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(canonical)) return canonical;
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

/** The start of content keys, e.g. `legal.`. */
export const contentPrefixSchema = z
  .string()
  .max(100)
  .regex(/^[a-z0-9._-]*$/, "may contain only lower-case letters, digits, dots, dashes and underscores")
  .meta({ description: "Only keys starting with this, e.g. `legal.`." });

export const listContentInput = z.object({
  locale: localeSchema.optional(),
  prefix: contentPrefixSchema.optional(),
  limit: z.coerce.number<number>().int().min(1).max(100).default(20).meta({ description: "Entries per page, 1–100." }),
  cursor: z.string().max(200).meta({ description: "`nextCursor` of the previous page." }).optional(),
});

export const contentPageSchema = z
  .object({
    items: z.array(contentEntrySchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "ContentPage" });

/** Text admins write: no control characters but tab and line breaks (they hide text and break logs). */
const withoutControlCharacters = (value: string) =>
  ![...value].some((char) => {
    const code = char.codePointAt(0)!;
    return (code < 0x20 && char !== "\t" && char !== "\n" && char !== "\r") || code === 0x7f;
  });

export const contentTitleSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(withoutControlCharacters, "must not contain control characters")
  .meta({ description: "Plain text, 1–200 characters.", example: "Terms of service" });

export const contentBodySchema = z
  .string()
  .min(1)
  .max(100_000)
  .refine(withoutControlCharacters, "must not contain control characters other than tabs and line breaks")
  .meta({
    description:
      "CommonMark Markdown, up to 100,000 characters, stored and served as written (the API never renders HTML). " +
      "Render it with raw HTML disabled: what an admin typed as HTML then shows as text.",
    example: "## Who we are\n\nTenantry runs your account. **Replace this demo text before going live.**",
  });

/** `{key}/{locale}` of one entry; the locale as it is stored (canonical, `de-ch` → `de-CH`). */
export const contentRefInput = z.object({
  key: contentKeySchema,
  locale: localeSchema.meta({ description: "BCP 47 tag of the entry, e.g. `en`, `ru`, `de-CH`.", example: "en" }),
});

const publishedCopySchema = z
  .object({ version: z.number().int(), title: z.string(), body: z.string(), publishedAt: z.iso.datetime() })
  .nullable()
  .meta({ description: "What the public read serves; null while unpublished." });

export const adminContentEntrySchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    locale: z.string(),
    title: z.string().meta({ description: "The working copy: the latest version, published or not." }),
    body: z.string(),
    version: z.number().int().meta({ description: "The latest version's number (from 1)." }),
    published: publishedCopySchema,
    hasUnpublishedChanges: z.boolean().meta({ description: "The working copy is not what is published (or nothing is)." }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "AdminContentEntry" });

export const contentVersionSchema = z
  .object({
    version: z.number().int(),
    title: z.string(),
    body: z.string(),
    author: z
      .object({ id: z.uuid(), email: z.string().nullable(), displayName: z.string().nullable() })
      .nullable()
      .meta({ description: "The admin who saved it; null for seeded content or an account since deleted." }),
    createdAt: z.iso.datetime(),
    published: z.boolean().meta({ description: "The version the public read serves." }),
  })
  .meta({ id: "ContentVersion" });
