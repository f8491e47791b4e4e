import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateRefreshToken, hashRefreshToken } from "./refresh-tokens.ts";

describe("refresh tokens", () => {
  it("are 32 random bytes in base64url", () => {
    const token = generateRefreshToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(new Set(Array.from({ length: 100 }, generateRefreshToken)).size).toBe(100);
  });

  it("hash to SHA-256 hex, deterministically", () => {
    const token = generateRefreshToken();
    expect(hashRefreshToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(token)).not.toBe(hashRefreshToken(generateRefreshToken()));
  });
});
