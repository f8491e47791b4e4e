import { parseAcceptLanguage } from "./accept-language.ts";

/** The locales messages are written in; the first is the fallback. */
export const messageLocales = ["en", "ru"] as const;

export type MessageLocale = (typeof messageLocales)[number];

const fallbackLocale: MessageLocale = "en";

const isMessageLocale = (value: string): value is MessageLocale => (messageLocales as readonly string[]).includes(value);

/** The supported locale a BCP 47 tag falls back to (`ru-RU` → `ru`), if any. */
function supportedLocaleOf(tag: string): MessageLocale | undefined {
  const language = tag.trim().toLowerCase().split("-")[0] ?? "";
  return isMessageLocale(language) ? language : undefined;
}

/**
 * The locale to write a message in: the recipient's stored choice if it is supported, else the
 * most wanted supported language of the request's `Accept-Language`, else English.
 */
export function chooseMessageLocale({
  userLocale,
  acceptLanguage,
}: {
  userLocale?: string | null | undefined;
  acceptLanguage?: string | undefined;
}): MessageLocale {
  const stored = typeof userLocale === "string" ? supportedLocaleOf(userLocale) : undefined;
  if (stored) return stored;

  const ranges = parseAcceptLanguage(acceptLanguage);
  // `ru;q=0` refuses Russian even where a wildcard would otherwise allow it.
  const refused = new Set(ranges.filter((r) => r.q === 0).map((r) => r.range));
  for (const { range, q } of ranges) {
    if (q === 0) continue;
    if (range === "*") {
      const any = messageLocales.find((locale) => !refused.has(locale));
      if (any) return any;
      continue;
    }
    const locale = supportedLocaleOf(range);
    if (locale && !refused.has(locale)) return locale;
  }
  return fallbackLocale;
}
