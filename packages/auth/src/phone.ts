// The `max` metadata (~160 KB against ~80 KB for the default `min`) is the only one with the
// per-country number patterns: with `min`, isValid() checks length alone and accepts unassigned
// ranges such as +41 99…, which would let sign-up burn SMS on numbers that cannot exist.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

export type NormalizePhoneResult = { ok: true; e164: string; country?: string } | { ok: false; message: string };

// Phrased to follow the field name, like the password policy messages.
const invalidMessage = "must be a valid phone number in international format, e.g. +41791234567";
// Digits and the punctuation people type between them; anything else (letters, extensions,
// surrounding text) is refused rather than silently dropped by the parser.
const allowedCharacters = /^[+\d\s().\-/]+$/;

/**
 * International format only (`+41 79 123 45 67`, or the `0041…` dialling prefix): without a
 * country, `079 123 45 67` is ambiguous. Returns the E.164 form everything else keys on.
 */
export function normalizePhone(input: string): NormalizePhoneResult {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 40 || !allowedCharacters.test(trimmed)) {
    return { ok: false, message: invalidMessage };
  }
  const international = trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed;
  if (!international.startsWith("+")) {
    return { ok: false, message: invalidMessage };
  }
  const phone = parsePhoneNumberFromString(international);
  if (!phone || !phone.isValid()) {
    return { ok: false, message: invalidMessage };
  }
  return phone.country ? { ok: true, e164: phone.number, country: phone.country } : { ok: true, e164: phone.number };
}

export interface PhoneBlock {
  /** An E.164 number (`+447911123456`) or, with `isPrefix`, the start of one (`+4479`). */
  value: string;
  isPrefix: boolean;
}

const blockValuePattern = /^\+\d+$/;

/**
 * Whether a normalised number falls under a block entry. A malformed entry (empty, or not `+`
 * and digits) matches nothing: an empty prefix would otherwise block every number.
 */
export function phoneMatchesBlock(e164: string, block: PhoneBlock): boolean {
  if (!blockValuePattern.test(block.value)) return false;
  return block.isPrefix ? e164.startsWith(block.value) : e164 === block.value;
}
