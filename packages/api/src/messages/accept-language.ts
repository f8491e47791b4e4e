export interface LanguageRange {
  /** Lower-cased language range, e.g. `ru-ru`, `en`, or `*`. */
  range: string;
  /** Quality, 0–1; 0 means "not this one". */
  q: number;
}

// RFC 9110 §12.5.4 with RFC 4647's language-range syntax; a weight has at most three decimals.
const rangePattern = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/;
const weightPattern = /^q=(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

// A client sends a handful; anything longer is junk or an attack, and is not worth the work.
const maxHeaderLength = 1024;
const maxRanges = 32;

/**
 * The ranges of an `Accept-Language` header, most wanted first (equal weights keep their order).
 * Malformed entries are skipped and an absurd header yields nothing: a bad header never fails a
 * request, it only leaves the language to the default.
 */
export function parseAcceptLanguage(header: string | undefined): LanguageRange[] {
  if (typeof header !== "string" || header.length > maxHeaderLength) return [];
  const ranges: LanguageRange[] = [];
  for (const entry of header.split(",").slice(0, maxRanges)) {
    const [rawRange = "", ...parameters] = entry.split(";").map((part) => part.trim().toLowerCase());
    if (!rangePattern.test(rawRange)) continue;
    let q = 1;
    let valid = true;
    for (const parameter of parameters) {
      const weight = parameter.replace(/\s+/g, "");
      if (weightPattern.test(weight)) q = Number(weight.slice(2));
      else valid = false;
    }
    if (valid) ranges.push({ range: rawRange, q });
  }
  // Array sort is stable, so equal weights stay in the client's order.
  return ranges.sort((a, b) => b.q - a.q);
}
