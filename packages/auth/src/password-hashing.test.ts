import argon2 from "argon2";
import { describe, expect, it } from "vitest";
import { createPasswordHasher, testPasswordHashParameters } from "./password-hashing.ts";

const passwords = createPasswordHasher();
const hashPassword = passwords.hash;
const verifyPassword = passwords.verify;
const passwordNeedsRehash = passwords.needsRehash;
const verifyAgainstDummyHash = passwords.verifyAgainstDummyHash;

describe("password hashing", () => {
  it("hashes with argon2id and the current parameters, as a salted PHC string", async () => {
    const hash = await hashPassword("violet tractor sings");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await hashPassword("violet tractor sings")).not.toBe(hash);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("violet tractor sings");
    expect(await verifyPassword(hash, "violet tractor sings")).toBe(true);
    expect(await verifyPassword(hash, "Violet tractor sings")).toBe(false);
    expect(await verifyPassword(hash, "")).toBe(false);
  });

  it.each([
    "",
    "not a hash",
    "$argon2id$v=19$m=19456,t=2,p=1$broken",
    "$bcrypt$whatever",
    "$argon2id$v=19$m=8,t=1,p=0$c2FsdHNhbHQ$aGFzaGhhc2g",
  ])("answers false, without throwing, for the malformed hash %j", async (hash) => {
    await expect(verifyPassword(hash, "violet tractor sings")).resolves.toBe(false);
  });

  it("asks for a rehash of hashes made with older parameters, not of current ones", async () => {
    const current = await hashPassword("violet tractor sings");
    expect(passwordNeedsRehash(current)).toBe(false);

    const weaker = await argon2.hash("violet tractor sings", {
      type: argon2.argon2id,
      memoryCost: 19_456,
      timeCost: 1,
      parallelism: 1,
    });
    expect(passwordNeedsRehash(weaker)).toBe(true);
    // Still verifiable, so sign-in can succeed and then upgrade it.
    expect(await verifyPassword(weaker, "violet tractor sings")).toBe(true);

    const lessMemory = await argon2.hash("violet tractor sings", {
      type: argon2.argon2id,
      memoryCost: 8_192,
      timeCost: 2,
      parallelism: 1,
    });
    expect(passwordNeedsRehash(lessMemory)).toBe(true);

    const otherVariant = await argon2.hash("violet tractor sings", {
      type: argon2.argon2i,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(passwordNeedsRehash(otherVariant)).toBe(true);

    expect(passwordNeedsRehash("garbage")).toBe(true);
  });

  it("runs a verification against a dummy hash that always fails", async () => {
    await expect(verifyAgainstDummyHash("violet tractor sings")).resolves.toBe(false);
    await expect(verifyAgainstDummyHash("")).resolves.toBe(false);
  });

  it("with the test parameters, hashes cheaply with argon2id and wants production hashes left alone only by a production hasher", async () => {
    const fast = createPasswordHasher(testPasswordHashParameters);
    const hash = await fast.hash("violet tractor sings");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await fast.verify(hash, "violet tractor sings")).toBe(true);
    // A production hasher reads a test hash as weaker and upgrades it on the next sign-in.
    expect(passwordNeedsRehash(hash)).toBe(true);
    expect(await verifyPassword(hash, "violet tractor sings")).toBe(true);
  });
});
