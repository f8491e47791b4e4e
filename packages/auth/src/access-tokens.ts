import { randomUUID, webcrypto } from "node:crypto";
import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { secretBytes } from "./secret.ts";

export type AccessTokenRole = "user" | "admin";

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  role: AccessTokenRole;
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  expiresAt: Date;
}

export interface AccessTokens {
  sign(claims: AccessTokenClaims): Promise<{ token: string; expiresAt: Date }>;
  /** Throws `InvalidAccessTokenError` for anything but a current, genuine access token. */
  verify(token: string): Promise<VerifiedAccessToken>;
}

export interface AccessTokensOptions {
  /** HMAC key, used as its UTF-8 bytes; at least 32 bytes. */
  secret: string;
  issuer: string;
  audience: string;
  /** Short on purpose: access tokens are not revocable; the refresh token is. */
  ttlSeconds?: number;
  /** Clock, for tests. */
  now?: () => Date;
  /** How many verified tokens to remember (see `verifiedTokens`); 0 checks every token every time. */
  rememberVerified?: number;
}

/**
 * `expired` lets a client refresh silently; it is only reported for a token whose signature and
 * every other claim check out, so it never vouches for a forged token.
 */
export class InvalidAccessTokenError extends Error {
  override readonly name = "InvalidAccessTokenError";
  readonly reason: "expired" | "invalid";

  constructor(reason: "expired" | "invalid", options?: { cause?: unknown }) {
    super(reason === "expired" ? "Access token has expired" : "Access token is invalid", options);
    this.reason = reason;
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// One algorithm, pinned on both sides: a verifier that took the header's word for it would accept
// `alg: none`, or an HS256 token keyed with a public RSA key.
const algorithm = "HS256";
// A refresh or other future token signed with the same key must not pass as an access token.
const tokenType = "access";
const roles: ReadonlySet<string> = new Set<AccessTokenRole>(["user", "admin"]);

export function createAccessTokens(options: AccessTokensOptions): AccessTokens {
  const { issuer, audience, ttlSeconds = 900, now = () => new Date(), rememberVerified = 10_000 } = options;
  const key = secretBytes(options.secret, "Access token secret");
  // Imported once: handed raw bytes, jose imports the key again on every call, which cost more
  // than the signature check itself (about a third of a millisecond per request).
  let hmacKey: Promise<webcrypto.CryptoKey> | undefined;
  const cryptoKey = () =>
    (hmacKey ??= webcrypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]));
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer; got ${ttlSeconds}`);
  }
  if (!Number.isInteger(rememberVerified) || rememberVerified < 0) {
    throw new RangeError(`rememberVerified must be a whole number of tokens; got ${rememberVerified}`);
  }
  const verified = verifiedTokens(rememberVerified);

  return {
    async sign({ userId, sessionId, role }) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiresAtSeconds = issuedAt + ttlSeconds;
      const token = await new SignJWT({ sid: sessionId, role, typ: tokenType })
        .setProtectedHeader({ alg: algorithm, typ: "JWT" })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(userId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAtSeconds)
        .setJti(randomUUID())
        .sign(await cryptoKey());
      return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
    },

    async verify(token) {
      const remembered = verified.get(token, now());
      if (remembered) return remembered;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await cryptoKey(), {
          algorithms: [algorithm],
          typ: "JWT",
          issuer,
          audience,
          requiredClaims: ["sub", "sid", "role", "typ", "iat", "exp", "jti"],
          currentDate: now(),
        }));
      } catch (error) {
        // jose checks the signature, header and iss/aud before expiry, so an expired error means
        // only the clock failed; our own claim checks still decide between expired and invalid.
        if (error instanceof errors.JWTExpired && readClaims(error.payload)) {
          throw new InvalidAccessTokenError("expired", { cause: error });
        }
        throw new InvalidAccessTokenError("invalid", { cause: error });
      }
      const claims = readClaims(payload);
      if (!claims) throw new InvalidAccessTokenError("invalid");
      verified.remember(token, claims);
      return claims;
    },
  };
}

/**
 * Tokens that passed every check, by their exact text, until they expire. The checks give the
 * same answer for the same text under the same key, but for the clock, which a remembered token
 * still meets on every use; so a client's token costs one signature check, not one per request
 * (through WebCrypto ~54 µs of CPU, `pnpm bench:tokens`). Only genuine tokens are kept, so
 * forgeries cannot fill it; at `capacity` the oldest goes. Each hit gets its own copy of the
 * claims: nothing a caller does to one can change what the next request is told.
 */
function verifiedTokens(capacity: number) {
  const tokens = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();
  return {
    get(token: string, at: Date): VerifiedAccessToken | undefined {
      const entry = tokens.get(token);
      if (!entry) return undefined;
      // Expired as jose counts it: `exp` (whole seconds) at or before the current second.
      if (at.getTime() >= entry.expiresAtMs) {
        tokens.delete(token);
        return undefined;
      }
      return { ...entry.claims, expiresAt: new Date(entry.expiresAtMs) };
    },
    remember(token: string, { expiresAt, ...claims }: VerifiedAccessToken) {
      if (capacity === 0 || tokens.has(token)) return;
      if (tokens.size >= capacity) tokens.delete(tokens.keys().next().value!);
      tokens.set(token, { claims, expiresAtMs: expiresAt.getTime() });
    },
  };
}

function readClaims(payload: JWTPayload): VerifiedAccessToken | undefined {
  const { sub, sid, role, typ, exp } = payload;
  if (typ !== tokenType) return undefined;
  // Ids are UUIDs: anything else is refused here rather than reaching a uuid column.
  if (typeof sub !== "string" || !uuidPattern.test(sub)) return undefined;
  if (typeof sid !== "string" || !uuidPattern.test(sid)) return undefined;
  if (typeof role !== "string" || !roles.has(role)) return undefined;
  if (typeof exp !== "number") return undefined;
  return { userId: sub, sessionId: sid, role: role as AccessTokenRole, expiresAt: new Date(exp * 1000) };
}
