import { describe, expect, it } from "vitest";
import { commonPasswordCount } from "./common-passwords.ts";
import { checkPasswordPolicy, passwordPolicy } from "./password-policy.ts";

describe("checkPasswordPolicy", () => {
  it("accepts a long, uncommon password", () => {
    expect(checkPasswordPolicy("violet tractor sings 42")).toEqual({ ok: true });
  });

  it("refuses one shorter than the minimum, naming the rule", () => {
    expect(checkPasswordPolicy("x7#kQ2p")).toEqual({
      ok: false,
      reason: "too_short",
      message: "must be at least 8 characters",
    });
  });

  it("refuses one longer than the maximum", () => {
    const result = checkPasswordPolicy("a1".repeat(64) + "z");
    expect(result).toMatchObject({ ok: false, reason: "too_long", message: "must be at most 128 characters" });
    expect(checkPasswordPolicy("a1".repeat(64))).toEqual({ ok: true });
  });

  it("counts Unicode code points, not UTF-16 units", () => {
    // Seven emoji are 14 UTF-16 units but seven characters.
    expect(checkPasswordPolicy("🔑".repeat(7))).toMatchObject({ reason: "too_short" });
    expect(checkPasswordPolicy("🔑".repeat(8))).toEqual({ ok: true });
    expect(checkPasswordPolicy("🔑".repeat(passwordPolicy.maxLength))).toEqual({ ok: true });
    expect(checkPasswordPolicy("🔑".repeat(passwordPolicy.maxLength + 1))).toMatchObject({ reason: "too_long" });
  });

  it.each(["password1", "Qwerty123", "PASSWORD", "iloveyou1", "12345678"])("refuses the common password %s", (password) => {
    expect(checkPasswordPolicy(password)).toEqual({
      ok: false,
      reason: "common",
      message: "must not be a commonly used password",
    });
  });

  it("loads the full common-password list", () => {
    expect(commonPasswordCount()).toBeGreaterThan(40_000);
  });
});
