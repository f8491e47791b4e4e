import { createHash, randomBytes } from "node:crypto";

/**
 * An opaque 256-bit bearer secret. Hand it to the client once; store only
 * `hashRefreshToken(token)`, so a database leak yields no usable sessions.
 */
export function generateRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * SHA-256 hex of the token, for storage and lookup. No salt or slow hash is needed: the input is
 * 256 random bits, not something a person chose, so it cannot be guessed from its hash.
 */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
