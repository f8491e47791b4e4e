import { randomBytes } from "node:crypto";
import argon2 from "argon2";

/**
 * OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~50–100 ms per hash on a server core.
 * Raising these later is safe: `passwordNeedsRehash` flags older hashes so sign-in upgrades them.
 */
export const passwordHashParameters = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Returns a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) with its own random salt. */
export function hashPassword(password: string): Promise<string> {
  return hashWithCurrentParameters(password);
}

function hashWithCurrentParameters(password: string): Promise<string> {
  return argon2.hash(password, passwordHashParameters);
}

/** A malformed or foreign hash is a failed sign-in, not a server error. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * True when the stored hash was made with other parameters (or another argon2 variant) than the
 * current ones, so the caller re-hashes the password it just verified. An unreadable hash also
 * answers true: whatever it is, it is not a current one.
 */
export function passwordNeedsRehash(hash: string): boolean {
  if (!hash.startsWith("$argon2id$")) return true;
  try {
    return argon2.needsRehash(hash, passwordHashParameters);
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Sign-in for an unknown account runs the same argon2 work as for a known one, so response time
 * does not reveal which accounts exist. The dummy hash is made once, with the current parameters,
 * from a random password nobody knows.
 */
export async function verifyAgainstDummyHash(password: string): Promise<false> {
  dummyHash ??= hashWithCurrentParameters(randomBytes(32).toString("base64url"));
  await verifyPassword(await dummyHash, password);
  return false;
}
