import { randomBytes } from "node:crypto";
import argon2 from "argon2";

export interface PasswordHashParameters {
  type: typeof argon2.argon2id;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~50–100 ms per hash on a server core.
 * Raising these later is safe: `needsRehash` flags older hashes so sign-in upgrades them.
 */
export const passwordHashParameters: PasswordHashParameters = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/**
 * Far cheaper parameters for test servers only, where thousands of accounts are made and the
 * cost protects nothing (the server's configuration refuses them outside NODE_ENV=test). The
 * algorithm and every code path stay the same; only the work factor shrinks.
 */
export const testPasswordHashParameters: PasswordHashParameters = {
  type: argon2.argon2id,
  memoryCost: 1024,
  timeCost: 1,
  parallelism: 1,
};

/** Hashing and checking passwords with one set of argon2id parameters. */
export interface PasswordHasher {
  /** A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) with its own random salt. */
  hash(password: string): Promise<string>;
  /** A malformed or foreign hash is a failed check, not an error. */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * True when the stored hash was made with other parameters (or another argon2 variant) than
   * these, so the caller re-hashes the password it just verified. An unreadable hash also
   * answers true: whatever it is, it is not a current one.
   */
  needsRehash(hash: string): boolean;
  /**
   * The same argon2 work as a real check, against a hash of a random password nobody knows:
   * sign-in for an unknown account takes as long as for a known one.
   */
  verifyAgainstDummyHash(password: string): Promise<false>;
}

export function createPasswordHasher(parameters: PasswordHashParameters = passwordHashParameters): PasswordHasher {
  let dummyHash: Promise<string> | undefined;
  const hasher: PasswordHasher = {
    hash: (password) => argon2.hash(password, parameters),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
    needsRehash(hash) {
      if (!hash.startsWith("$argon2id$")) return true;
      try {
        return argon2.needsRehash(hash, parameters);
      } catch {
        return true;
      }
    },
    async verifyAgainstDummyHash(password) {
      dummyHash ??= hasher.hash(randomBytes(32).toString("base64url"));
      await hasher.verify(await dummyHash, password);
      return false;
    },
  };
  return hasher;
}
