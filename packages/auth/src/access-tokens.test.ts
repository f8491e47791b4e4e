import { createHmac } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { createAccessTokens, InvalidAccessTokenError } from "./access-tokens.ts";

const secret = "test-secret-that-is-long-enough-for-hs256!";
const issuer = "https://tenantry.test";
const audience = "tenantry-api";
const claims = {
  userId: "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
  sessionId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  role: "admin",
} as const;
const start = new Date("2030-01-01T00:00:00Z");

function clock(at = start) {
  let current = at;
  return { now: () => current, advance: (seconds: number) => (current = new Date(current.getTime() + seconds * 1000)) };
}

async function expectInvalid(promise: Promise<unknown>, reason: "expired" | "invalid") {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidAccessTokenError);
  expect((error as InvalidAccessTokenError).reason).toBe(reason);
}

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Signs arbitrary header and payload with HS256 over `key`, as an attacker holding it could. */
function forgeHs256(header: object, payload: object, key: string | Uint8Array): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = createHmac("sha256", key).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

function validPayload(now: Date) {
  const iat = Math.floor(now.getTime() / 1000);
  return {
    iss: issuer,
    aud: audience,
    sub: claims.userId,
    sid: claims.sessionId,
    role: "user",
    typ: "access",
    iat,
    exp: iat + 900,
    jti: "j1",
  };
}

describe("access tokens", () => {
  it("round-trips the claims and reports the expiry", async () => {
    const { now } = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now });
    const { token, expiresAt } = await tokens.sign(claims);
    expect(expiresAt).toEqual(new Date(start.getTime() + 900_000));
    await expect(tokens.verify(token)).resolves.toEqual({ ...claims, expiresAt });
  });

  it("writes a pinned HS256 header and the documented claims", async () => {
    const { now } = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, ttlSeconds: 60, now });
    const { token } = await tokens.sign(claims);
    const [header, payload] = token.split(".") as [string, string, string];
    expect(decode(header)).toEqual({ alg: "HS256", typ: "JWT" });
    const iat = start.getTime() / 1000;
    expect(decode(payload)).toEqual({
      iss: issuer,
      aud: audience,
      sub: claims.userId,
      sid: claims.sessionId,
      role: "admin",
      typ: "access",
      iat,
      exp: iat + 60,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const second = await tokens.sign(claims);
    expect(decode(second.token.split(".")[1]!).jti).not.toEqual(decode(payload).jti);
  });

  it("reports an expired token as expired", async () => {
    const time = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now: time.now });
    const { token } = await tokens.sign(claims);
    time.advance(899);
    await expect(tokens.verify(token)).resolves.toMatchObject(claims);
    time.advance(1);
    await expectInvalid(tokens.verify(token), "expired");
  });

  it("does not call an expired forgery expired", async () => {
    const time = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now: time.now });
    const forged = forgeHs256({ alg: "HS256", typ: "JWT" }, validPayload(start), "another-secret-that-is-long-enough!!");
    time.advance(3600);
    await expectInvalid(tokens.verify(forged), "invalid");
  });

  it("does not call an expired token of another type expired", async () => {
    const time = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now: time.now });
    const refreshLike = forgeHs256({ alg: "HS256", typ: "JWT" }, { ...validPayload(start), typ: "refresh" }, secret);
    time.advance(3600);
    await expectInvalid(tokens.verify(refreshLike), "invalid");
  });

  it("refuses a token for another audience or from another issuer", async () => {
    const { now } = clock();
    const verifier = createAccessTokens({ secret, issuer, audience, now });
    const otherAudience = createAccessTokens({ secret, issuer, audience: "billing-api", now });
    const otherIssuer = createAccessTokens({ secret, issuer: "https://evil.test", audience, now });
    await expectInvalid(verifier.verify((await otherAudience.sign(claims)).token), "invalid");
    await expectInvalid(verifier.verify((await otherIssuer.sign(claims)).token), "invalid");
  });

  it("refuses a token signed with another secret", async () => {
    const { now } = clock();
    const verifier = createAccessTokens({ secret, issuer, audience, now });
    const other = createAccessTokens({ secret: `${secret}-rotated`, issuer, audience, now });
    await expectInvalid(verifier.verify((await other.sign(claims)).token), "invalid");
  });

  it("refuses an unsigned alg:none token", async () => {
    const { now } = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now });
    const unsigned = new UnsecuredJWT({ sid: claims.sessionId, role: "admin", typ: "access" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(claims.userId)
      .setIssuedAt(start)
      .setExpirationTime(new Date(start.getTime() + 900_000))
      .setJti("j1")
      .encode();
    expect(unsigned.endsWith(".")).toBe(true);
    await expectInvalid(tokens.verify(unsigned), "invalid");
    // The same, with a signature-shaped tail appended.
    await expectInvalid(tokens.verify(`${unsigned}AAAA`), "invalid");
  });

  it("refuses an RS256 token, and an HS256 token keyed with the RSA public key (algorithm confusion)", async () => {
    const { now } = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now });
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const rs256 = await new SignJWT({ sid: claims.sessionId, role: "admin", typ: "access" })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(claims.userId)
      .setIssuedAt(start)
      .setExpirationTime(new Date(start.getTime() + 900_000))
      .setJti("j1")
      .sign(privateKey);
    await expectInvalid(tokens.verify(rs256), "invalid");

    const publicPem = await exportSPKI(publicKey);
    const confused = forgeHs256({ alg: "HS256", typ: "JWT" }, { ...validPayload(start), role: "admin" }, publicPem);
    await expectInvalid(tokens.verify(confused), "invalid");
  });

  it("refuses a token with one signature byte flipped", async () => {
    const { now } = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now });
    const { token } = await tokens.sign(claims);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const bytes = Buffer.from(signature, "base64url");
    bytes[0] = bytes[0]! ^ 0x01;
    await expectInvalid(tokens.verify(`${header}.${payload}.${bytes.toString("base64url")}`), "invalid");
  });

  it("remembers a genuine token, never an edit of it: after it passed, forgeries of it still fail and it still expires", async () => {
    const time = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now: time.now, rememberVerified: 1 });
    const user = await tokens.sign({ ...claims, role: "user" });
    const other = await tokens.sign(claims);
    await expect(tokens.verify(user.token)).resolves.toMatchObject({ role: "user" });
    const [header, payload, signature] = user.token.split(".") as [string, string, string];
    const edited = Buffer.from(JSON.stringify({ ...decode(payload), role: "admin" })).toString("base64url");
    await expectInvalid(tokens.verify(`${header}.${edited}.${signature}`), "invalid");
    const flipped = Buffer.from(signature, "base64url");
    flipped[0] = flipped[0]! ^ 0x01;
    await expectInvalid(tokens.verify(`${header}.${payload}.${flipped.toString("base64url")}`), "invalid");
    // A second genuine token takes the one place; both still verify, each as itself.
    await expect(tokens.verify(other.token)).resolves.toMatchObject({ role: "admin" });
    await expect(tokens.verify(user.token)).resolves.toMatchObject({ role: "user" });
    time.advance(900);
    await expectInvalid(tokens.verify(user.token), "expired");
  });

  it("checks a token's signature once, and hands every caller claims of its own", async () => {
    const { now } = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now });
    const { token, expiresAt } = await tokens.sign(claims);
    const checks = vi.spyOn(crypto.subtle, "verify");
    try {
      const first = await tokens.verify(token);
      first.expiresAt.setTime(0);
      (first as { role: string }).role = "user";
      const second = await tokens.verify(token);
      expect(second).toMatchObject({ ...claims, expiresAt });
      expect(checks).toHaveBeenCalledTimes(1);
    } finally {
      checks.mockRestore();
    }
  });

  it("refuses a token whose payload was edited (role escalation)", async () => {
    const { now } = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now });
    const { token } = await tokens.sign({ ...claims, role: "user" });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const edited = Buffer.from(JSON.stringify({ ...decode(payload), role: "admin" })).toString("base64url");
    await expectInvalid(tokens.verify(`${header}.${edited}.${signature}`), "invalid");
  });

  it("refuses a genuine signature over a token of another type or with bad claims", async () => {
    const { now } = clock();
    const tokens = createAccessTokens({ secret, issuer, audience, now });
    const base = validPayload(start);
    await expect(tokens.verify(forgeHs256({ alg: "HS256", typ: "JWT" }, base, secret))).resolves.toMatchObject({ role: "user" });

    for (const payload of [
      { ...base, typ: "refresh" },
      { ...base, typ: undefined },
      { ...base, role: "owner" },
      { ...base, sid: undefined },
      { ...base, sid: 42 },
      { ...base, sub: "" },
      { ...base, jti: undefined },
      { ...base, exp: undefined },
    ]) {
      await expectInvalid(tokens.verify(forgeHs256({ alg: "HS256", typ: "JWT" }, payload, secret)), "invalid");
    }
    await expectInvalid(tokens.verify(forgeHs256({ alg: "HS256", typ: "at+jwt" }, base, secret)), "invalid");
  });

  it.each(["", "garbage", "a.b.c", "a.b", "....."])("refuses the malformed token %j", async (token) => {
    const tokens = createAccessTokens({ secret, issuer, audience });
    await expectInvalid(tokens.verify(token), "invalid");
  });

  it("refuses a secret shorter than 32 bytes, counted in UTF-8", () => {
    expect(() => createAccessTokens({ secret: "x".repeat(31), issuer, audience })).toThrow(/at least 32 bytes/);
    expect(() => createAccessTokens({ secret: "x".repeat(32), issuer, audience })).not.toThrow();
    // 16 characters, 32 bytes.
    expect(() => createAccessTokens({ secret: "é".repeat(16), issuer, audience })).not.toThrow();
  });

  it("refuses a number of tokens to remember that is not a whole number", () => {
    for (const rememberVerified of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createAccessTokens({ secret, issuer, audience, rememberVerified })).toThrow(RangeError);
    }
  });

  it("refuses a nonsensical ttl", () => {
    expect(() => createAccessTokens({ secret, issuer, audience, ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => createAccessTokens({ secret, issuer, audience, ttlSeconds: 1.5 })).toThrow(RangeError);
  });
});
