import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyedHash } from "./keyed-hash.ts";

const secret = "keyed-hash-secret-of-at-least-32-bytes";

describe("keyedHash", () => {
  it("is HMAC-SHA256 hex of the value, as given", () => {
    expect(keyedHash(secret, "+41791234567")).toBe(createHmac("sha256", secret).update("+41791234567").digest("hex"));
    // No normalisation: the caller decides what equal means.
    expect(keyedHash(secret, "a@example.com")).not.toBe(keyedHash(secret, "A@example.com"));
  });

  it("depends on the secret", () => {
    expect(keyedHash(secret, "+41791234567")).not.toBe(keyedHash(`${secret}!`, "+41791234567"));
  });

  it("refuses a short secret", () => {
    expect(() => keyedHash("short", "+41791234567")).toThrow(/at least 32 bytes/);
  });
});
