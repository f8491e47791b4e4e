import { describe, expect, it } from "vitest";
import { generateOneTimeCode, hashOneTimeCode, oneTimeCodeMatches, type OneTimeCodeBinding } from "./one-time-codes.ts";

const secret = "one-time-code-secret-of-32-bytes!!";
const binding: OneTimeCodeBinding = { code: "042917", target: "+41791234567", purpose: "sign_in" };

describe("one-time codes", () => {
  it("are six digits, zero-padded, and spread over the whole range", () => {
    const draws = Array.from({ length: 1000 }, generateOneTimeCode);
    for (const code of draws) expect(code).toMatch(/^\d{6}$/);
    // Sanity, not statistics: 1000 draws from 10^6 rarely repeat, and leading digits vary.
    expect(new Set(draws).size).toBeGreaterThan(990);
    expect(new Set(draws.map((code) => code[0])).size).toBeGreaterThan(5);
  });

  it("hash to HMAC-SHA256 hex and match their own hash", () => {
    const hash = hashOneTimeCode(secret, binding);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOneTimeCode(secret, binding)).toBe(hash);
    expect(oneTimeCodeMatches(secret, hash, binding)).toBe(true);
    expect(oneTimeCodeMatches(secret, hash.toUpperCase(), binding)).toBe(true);
  });

  it("are bound to their target, their purpose and the secret", () => {
    const hash = hashOneTimeCode(secret, binding);
    expect(oneTimeCodeMatches(secret, hash, { ...binding, code: "042918" })).toBe(false);
    expect(oneTimeCodeMatches(secret, hash, { ...binding, target: "+41791234568" })).toBe(false);
    expect(oneTimeCodeMatches(secret, hash, { ...binding, purpose: "account_deletion" })).toBe(false);
    expect(oneTimeCodeMatches(secret, hash, { ...binding, purpose: "phone_change" })).toBe(false);
    expect(oneTimeCodeMatches(`${secret}-other`, hash, binding)).toBe(false);
  });

  it("cannot be confused by moving text between fields", () => {
    const a = hashOneTimeCode(secret, { code: "123456", target: "a", purpose: "sign_in" });
    const b = hashOneTimeCode(secret, { code: "123456", target: 'a","sign_in', purpose: "sign_in" });
    expect(a).not.toBe(b);
  });

  it("refuse a tampered or malformed hash without throwing", () => {
    const hash = hashOneTimeCode(secret, binding);
    const flipped = (hash[0] === "0" ? "1" : "0") + hash.slice(1);
    expect(oneTimeCodeMatches(secret, flipped, binding)).toBe(false);
    for (const bad of ["", hash.slice(0, 62), `${hash}00`, `${hash.slice(0, 63)}g`, "zz".repeat(32)]) {
      expect(oneTimeCodeMatches(secret, bad, binding)).toBe(false);
    }
    expect(oneTimeCodeMatches(secret, undefined as unknown as string, binding)).toBe(false);
  });

  it("refuse a malformed code or secret without throwing", () => {
    const hash = hashOneTimeCode(secret, binding);
    for (const code of ["", "42917", "0429170", " 042917", "04291a", "٠٤٢٩١٧"]) {
      expect(oneTimeCodeMatches(secret, hash, { ...binding, code })).toBe(false);
    }
    expect(oneTimeCodeMatches("short", hash, binding)).toBe(false);
    expect(oneTimeCodeMatches(secret, hash, null as unknown as OneTimeCodeBinding)).toBe(false);
  });

  it("refuse to hash with a short secret", () => {
    expect(() => hashOneTimeCode("short", binding)).toThrow(/at least 32 bytes/);
  });
});
