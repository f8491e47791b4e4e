import { createRequire } from "node:module";
import type * as LanguageCommon from "@zxcvbn-ts/language-common";

// The list ships compressed inside zxcvbn-ts's "common" language pack (the passwords that top
// real-world leak frequency lists). Decompressing it costs ~20 ms and a few MB, so it is loaded on
// the first policy check rather than whenever something imports @tenantry/auth.
const require = createRequire(import.meta.url);

let commonPasswords: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  if (!commonPasswords) {
    const { dictionary } = require("@zxcvbn-ts/language-common") as typeof LanguageCommon;
    commonPasswords = new Set(dictionary["passwords-common"].map((entry) => entry.toLowerCase()));
  }
  return commonPasswords.has(password.toLowerCase());
}

/** How many distinct entries the list holds; for tests and diagnostics. */
export function commonPasswordCount(): number {
  isCommonPassword("");
  return commonPasswords?.size ?? 0;
}
