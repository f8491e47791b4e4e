import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { secretBytes } from "./secret.ts";

export type OneTimeCodePurpose =
  "sign_in" | "phone_change" | "account_deletion" | "email_verification" | "password_reset" | "email_change";

export interface OneTimeCodeBinding {
  code: string;
  /** The phone number (E.164) or email address the code was sent to, as normalised by the caller. */
  target: string;
  purpose: OneTimeCodePurpose;
}

const codePattern = /^\d{6}$/;
const hashPattern = /^[0-9a-f]{64}$/i;

/** Six digits, uniformly drawn by the CSPRNG (`randomInt` has no modulo bias). */
export function generateOneTimeCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, "0");
}

/**
 * Keyed, so a leaked table cannot be brute-forced through all 10^6 codes without the secret; and
 * bound to target and purpose, so a code sent to one number, or sent to sign in, cannot be
 * replayed for another number or to delete the account.
 */
export function hashOneTimeCode(secret: string, { code, target, purpose }: OneTimeCodeBinding): string {
  // A JSON array is an unambiguous encoding: no choice of target can shift the field boundaries.
  const canonical = JSON.stringify(["tenantry.one-time-code.v1", purpose, target, code]);
  return createHmac("sha256", secretBytes(secret, "One-time code secret")).update(canonical, "utf8").digest("hex");
}

/** Constant-time; answers false, never throws, for any malformed code, hash or binding. */
export function oneTimeCodeMatches(secret: string, storedHash: string, binding: OneTimeCodeBinding): boolean {
  try {
    if (typeof storedHash !== "string" || !hashPattern.test(storedHash)) return false;
    if (typeof binding.code !== "string" || !codePattern.test(binding.code)) return false;
    const expected = Buffer.from(hashOneTimeCode(secret, binding), "hex");
    return timingSafeEqual(expected, Buffer.from(storedHash, "hex"));
  } catch {
    return false;
  }
}
