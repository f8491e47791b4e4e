import { createHmac } from "node:crypto";
import { secretBytes } from "./secret.ts";

/**
 * HMAC-SHA256 (hex) of a value, for what must outlive account deletion (a blocked phone number, a
 * used trial) without keeping the value itself. A plain hash of a phone number is reversed by
 * enumerating the numbering plan; the key makes that impossible without the secret.
 *
 * Nothing is normalised here: the caller normalises (E.164, lower-cased email) first, or the
 * same value hashes two ways.
 */
export function keyedHash(secret: string, value: string): string {
  return createHmac("sha256", secretBytes(secret, "Keyed hash secret")).update(value, "utf8").digest("hex");
}
