import { isCommonPassword } from "./common-passwords.ts";

/**
 * Length is the only composition rule (NIST SP 800-63B): character-class rules push people to
 * predictable patterns. The upper bound keeps argon2 input, and so sign-in cost, bounded.
 */
export const passwordPolicy = { minLength: 8, maxLength: 128 } as const;

export type PasswordPolicyViolation = "too_short" | "too_long" | "common";

/** Messages are phrased to follow the field name: "password must be at least 8 characters". */
export type PasswordPolicyResult = { ok: true } | { ok: false; reason: PasswordPolicyViolation; message: string };

export function checkPasswordPolicy(password: string): PasswordPolicyResult {
  // Code points, not UTF-16 units: an emoji is one character to the person typing it.
  const length = [...password].length;
  if (length < passwordPolicy.minLength) {
    return {
      ok: false,
      reason: "too_short",
      message: `must be at least ${passwordPolicy.minLength} characters`,
    };
  }
  if (length > passwordPolicy.maxLength) {
    return {
      ok: false,
      reason: "too_long",
      message: `must be at most ${passwordPolicy.maxLength} characters`,
    };
  }
  if (isCommonPassword(password)) {
    return {
      ok: false,
      reason: "common",
      message: "must not be a commonly used password",
    };
  }
  return { ok: true };
}
