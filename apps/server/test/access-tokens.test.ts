import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, signUp, type SignedUp } from "./support/sign-up.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

// `jose` is a dependency of @tenantry/auth only, so it does not resolve from apps/server; the
// tokens below are built by hand, which also lets them carry headers no JWT library would write.
const serverSecret = "test-secret-that-is-at-least-32-bytes-long";

type Json = Record<string, unknown>;
const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");
const signingInput = (header: Json, payload: Json) => `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;

function hs256(payload: Json, key: string | Buffer = serverSecret, header: Json = { alg: "HS256", typ: "JWT" }) {
  const input = signingInput(header, payload);
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

function rs256(payload: Json, privateKey: KeyObject, header: Json = { alg: "RS256", typ: "JWT" }) {
  const input = signingInput(header, payload);
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

function decode(token: string): { header: Json; payload: Json } {
  const [header, payload] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(header!, "base64url").toString("utf8")) as Json,
    payload: JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Json,
  };
}

/** The claims the server itself would sign for `user`'s session; `undefined` drops a claim. */
function claimsFor(user: SignedUp, overrides: Json = {}): Json {
  const now = Math.floor(Date.now() / 1000);
  return {
    sid: user.sessionId,
    role: "user",
    typ: "access",
    iss: "tenantry",
    aud: "tenantry-api",
    sub: user.user.id,
    iat: now,
    exp: now + 900,
    jti: randomUUID(),
    ...overrides,
  };
}

interface ErrorBody {
  code?: string;
  data?: { appCode?: string; httpStatus?: number };
}

describe.each(testBackends())("access tokens on $name", (backend) => {
  let server: TestServer;
  let alice: SignedUp;
  let bob: SignedUp;

  /** GET /api/v1/account with `authorization` as the raw header value (none when undefined). */
  async function account(authorization?: string) {
    const res = await fetch(`${server.url}/api/v1/account`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return { status: res.status, body: (await res.json()) as ErrorBody & { id?: string; email?: string } };
  }

  /** Exactly 401 with `appCode`; `label` names the attack in the failure message. */
  async function expectRefused(label: string, authorization: string | undefined, appCode: string) {
    const { status, body } = await account(authorization);
    expect({ label, status, appCode: body.data?.appCode, httpStatus: body.data?.httpStatus }).toEqual({
      label,
      status: 401,
      appCode,
      httpStatus: 401,
    });
  }

  beforeAll(async () => {
    server = await startTestServer(backend);
    alice = await signUp(server.url, { displayName: "Alice" });
    bob = await signUp(server.url, { displayName: "Bob" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("issues an HS256 access token with the documented claims, and accepts it", async () => {
    const { header, payload } = decode(alice.accessToken);
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toEqual({
      iss: "tenantry",
      aud: "tenantry-api",
      sub: alice.user.id,
      sid: alice.sessionId,
      role: "user",
      typ: "access",
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);
    expect(new Date((payload.exp as number) * 1000).toISOString()).toBe(alice.accessTokenExpiresAt);

    const { status, body } = await account(`Bearer ${alice.accessToken}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: alice.user.id, email: alice.email });
    // The scheme is case-insensitive (RFC 9110).
    expect((await account(`bearer ${alice.accessToken}`)).status).toBe(200);
  });

  it("accepts a token built by these tests' own signer with the server's secret (control for the attacks)", async () => {
    const { status, body } = await account(`Bearer ${hs256(claimsFor(alice))}`);
    expect(status).toBe(200);
    expect(body.id).toBe(alice.user.id);
  });

  it("refuses a request without usable credentials as UNAUTHENTICATED", async () => {
    await expectRefused("no header", undefined, "UNAUTHENTICATED");
    await expectRefused("empty header", "", "UNAUTHENTICATED");
    await expectRefused("scheme only", "Bearer", "UNAUTHENTICATED");
    await expectRefused("other scheme", `Basic ${b64url(`${alice.email}:${alice.password}`)}`, "UNAUTHENTICATED");
    await expectRefused("token without scheme", alice.accessToken, "UNAUTHENTICATED");
    // Two credentials: neither is picked, even though both are genuine.
    await expectRefused("two tokens", `Bearer ${alice.accessToken} ${bob.accessToken}`, "UNAUTHENTICATED");
    await expectRefused("two bearer pairs", `Bearer ${alice.accessToken}, Bearer ${bob.accessToken}`, "UNAUTHENTICATED");
  });

  it("refuses garbage bearer tokens as TOKEN_INVALID", async () => {
    await expectRefused("garbage", "Bearer garbage", "TOKEN_INVALID");
    await expectRefused("three empty segments", "Bearer ..", "TOKEN_INVALID");
    await expectRefused("non-JSON segments", "Bearer a.b.c", "TOKEN_INVALID");
    await expectRefused("two tokens glued by a comma", `Bearer ${alice.accessToken},${bob.accessToken}`, "TOKEN_INVALID");
    await expectRefused("token twice, dot-joined", `Bearer ${alice.accessToken}.${alice.accessToken}`, "TOKEN_INVALID");
    await expectRefused("long junk", `Bearer ${"A".repeat(4000)}`, "TOKEN_INVALID");
  });

  it("refuses alg none, in every spelling, with or without the original signature", async () => {
    const claims = claimsFor(alice);
    for (const alg of ["none", "None", "NONE", "nOnE"]) {
      const unsigned = `${signingInput({ alg, typ: "JWT" }, claims)}.`;
      await expectRefused(`alg ${alg}`, `Bearer ${unsigned}`, "TOKEN_INVALID");
    }
    const genuineSignature = alice.accessToken.split(".")[2]!;
    const { payload } = decode(alice.accessToken);
    await expectRefused(
      "alg none keeping the genuine signature",
      `Bearer ${signingInput({ alg: "none", typ: "JWT" }, payload)}.${genuineSignature}`,
      "TOKEN_INVALID",
    );
  });

  it("refuses RS256 and HS256-keyed-with-the-public-key tokens (algorithm confusion)", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
    const claims = claimsFor(alice);
    await expectRefused("RS256", `Bearer ${rs256(claims, privateKey)}`, "TOKEN_INVALID");
    await expectRefused(
      "RS256 with the attacker's key embedded as jwk",
      `Bearer ${rs256(claims, privateKey, { alg: "RS256", typ: "JWT", jwk: publicKey.export({ format: "jwk" }) })}`,
      "TOKEN_INVALID",
    );
    await expectRefused("HS256 keyed with the public PEM", `Bearer ${hs256(claims, publicPem)}`, "TOKEN_INVALID");
    await expectRefused(
      "HS256 keyed with the public PEM, header says RS256",
      `Bearer ${hs256(claims, publicPem, { alg: "RS256", typ: "JWT" })}`,
      "TOKEN_INVALID",
    );
    // The real secret but another HMAC algorithm: the algorithm is pinned, not read from the header.
    const input = signingInput({ alg: "HS512", typ: "JWT" }, claims);
    const hs512 = `${input}.${createHmac("sha512", serverSecret).update(input).digest("base64url")}`;
    await expectRefused("HS512 with the real secret", `Bearer ${hs512}`, "TOKEN_INVALID");
  });

  it("reports an expired genuine token as TOKEN_EXPIRED, but never vouches for a bad one", async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectRefused("expired", `Bearer ${hs256(claimsFor(alice, { iat: past - 900, exp: past }))}`, "TOKEN_EXPIRED");
    // An attacker must not learn "expired" (i.e. "signature fine") for forged or foreign tokens.
    const expired = claimsFor(alice, { iat: past - 900, exp: past });
    await expectRefused(
      "expired, other secret",
      `Bearer ${hs256(expired, "another-secret-that-is-32-bytes-or-more!")}`,
      "TOKEN_INVALID",
    );
    await expectRefused("expired, wrong audience", `Bearer ${hs256({ ...expired, aud: "someone-else" })}`, "TOKEN_INVALID");
    await expectRefused("expired, refresh typ", `Bearer ${hs256({ ...expired, typ: "refresh" })}`, "TOKEN_INVALID");
    await expectRefused("expired, alg none", `Bearer ${signingInput({ alg: "none", typ: "JWT" }, expired)}.`, "TOKEN_INVALID");
  });

  it("refuses tokens for another audience or issuer, or missing either", async () => {
    const cases: Array<[string, Json]> = [
      ["wrong audience", { aud: "tenantry-admin" }],
      ["audience list without ours", { aud: ["other-api", "tenantry-apix"] }],
      ["no audience", { aud: undefined }],
      ["wrong issuer", { iss: "evil" }],
      ["issuer differs in case", { iss: "Tenantry" }],
      ["no issuer", { iss: undefined }],
    ];
    for (const [label, overrides] of cases) {
      await expectRefused(label, `Bearer ${hs256(claimsFor(alice, overrides))}`, "TOKEN_INVALID");
    }
  });

  it("refuses a token whose signature or payload was altered", async () => {
    const [header, payload, signature] = alice.accessToken.split(".") as [string, string, string];
    // Flip one bit inside the decoded signature (editing the last base64url character could
    // change only padding bits and decode to the same bytes).
    const bytes = Buffer.from(signature, "base64url");
    bytes[5] = bytes[5]! ^ 0x01;
    await expectRefused("flipped signature bit", `Bearer ${header}.${payload}.${bytes.toString("base64url")}`, "TOKEN_INVALID");
    await expectRefused("signature cut", `Bearer ${header}.${payload}.${signature.slice(0, -4)}`, "TOKEN_INVALID");
    await expectRefused("signature removed", `Bearer ${header}.${payload}.`, "TOKEN_INVALID");

    // Bob's payload under Alice's signature.
    const bobPayload = bob.accessToken.split(".")[1]!;
    await expectRefused("payload swapped", `Bearer ${header}.${bobPayload}.${signature}`, "TOKEN_INVALID");
    const escalated = b64url(JSON.stringify({ ...decode(alice.accessToken).payload, role: "admin" }));
    await expectRefused("role edited", `Bearer ${header}.${escalated}.${signature}`, "TOKEN_INVALID");
  });

  it("refuses tokens signed with another secret", async () => {
    await expectRefused(
      "other secret",
      `Bearer ${hs256(claimsFor(alice), "another-secret-that-is-32-bytes-or-more!")}`,
      "TOKEN_INVALID",
    );
    await expectRefused("secret with a suffix", `Bearer ${hs256(claimsFor(alice), `${serverSecret}!`)}`, "TOKEN_INVALID");
    await expectRefused("empty secret", `Bearer ${hs256(claimsFor(alice), "")}`, "TOKEN_INVALID");
  });

  it("refuses a correctly signed token that is not an access token or lacks a claim", async () => {
    const cases: Array<[string, Json]> = [
      ["typ refresh", { typ: "refresh" }],
      ["typ missing", { typ: undefined }],
      ["typ upper case", { typ: "ACCESS" }],
      ["sub missing", { sub: undefined }],
      ["sub empty", { sub: "" }],
      ["sid missing", { sid: undefined }],
      ["sid not a string", { sid: 42 }],
      ["unknown role", { role: "superuser" }],
      ["jti missing", { jti: undefined }],
      ["iat missing", { iat: undefined }],
      ["exp missing", { exp: undefined }],
      ["exp not a number", { exp: "9999999999" }],
    ];
    for (const [label, overrides] of cases) {
      await expectRefused(label, `Bearer ${hs256(claimsFor(alice, overrides))}`, "TOKEN_INVALID");
    }
    await expectRefused(
      "header typ refresh",
      `Bearer ${hs256(claimsFor(alice), serverSecret, { alg: "HS256", typ: "refresh+jwt" })}`,
      "TOKEN_INVALID",
    );
  });

  it("refuses the refresh token presented as a bearer token", async () => {
    await expectRefused("refresh token as bearer", `Bearer ${alice.refreshToken}`, "TOKEN_INVALID");
  });

  it("refuses a genuine signature over a session that is someone else's, or no one's", async () => {
    // Only a holder of the secret could mint these; the session check still holds the line.
    await expectRefused("Alice's sub, Bob's sid", `Bearer ${hs256(claimsFor(alice, { sid: bob.sessionId }))}`, "SESSION_REVOKED");
    await expectRefused("Bob's sub, Alice's sid", `Bearer ${hs256(claimsFor(bob, { sid: alice.sessionId }))}`, "SESSION_REVOKED");
    await expectRefused("unknown session", `Bearer ${hs256(claimsFor(alice, { sid: randomUUID() }))}`, "SESSION_REVOKED");
    await expectRefused("unknown user", `Bearer ${hs256(claimsFor(alice, { sub: randomUUID() }))}`, "SESSION_REVOKED");
    // Neither Bob's nor Alice's data came back along the way: Bob's own token still reads Bob.
    const { status, body } = await account(`Bearer ${bob.accessToken}`);
    expect(status).toBe(200);
    expect(body.id).toBe(bob.user.id);
  });

  // Regression: a non-UUID `sid` once reached the uuid column and ended in a 500.
  it("refuses a genuine signature whose sid or sub is not a uuid with a 401, not a 500", async () => {
    const cases: Array<[string, Json]> = [
      ["sid not a uuid", { sid: "not-a-uuid" }],
      ["sid with SQL in it", { sid: "' OR 1=1 --" }],
      ["sub not a uuid", { sub: "not-a-uuid" }],
    ];
    const answers = [];
    for (const [label, overrides] of cases) {
      const { status, body } = await account(`Bearer ${hs256(claimsFor(alice, overrides))}`);
      // Either refusal is right: the claim is malformed (TOKEN_INVALID) or names no session of hers.
      const refused = status === 401 && ["TOKEN_INVALID", "SESSION_REVOKED"].includes(body.data?.appCode ?? "");
      answers.push({ label, status, appCode: body.data?.appCode, refused });
    }
    expect(answers).toEqual(cases.map(([label]) => expect.objectContaining({ label, status: 401, refused: true })));
  });

  it("takes the role from the database, not from the token", async () => {
    const carol = await signUp(server.url, { displayName: "Carol" });
    const adminPath = `${server.url}/api/v1/admin/blocked-phones`;
    const forged = hs256(claimsFor(carol, { role: "admin" }));
    const asForgedAdmin = await fetch(adminPath, { headers: bearer(forged) });
    expect(asForgedAdmin.status).toBe(403);
    expect(((await asForgedAdmin.json()) as ErrorBody).data?.appCode).toBe("PLATFORM_ADMIN_ONLY");

    // Control: once the database says admin, her ordinary token (claim "user") gets through.
    await server.db.prisma.user.update({ where: { id: carol.user.id }, data: { platformRole: "admin" } });
    const asRealAdmin = await fetch(adminPath, { headers: bearer(carol.accessToken) });
    expect(asRealAdmin.status).toBe(200);
  });

  it("gives tRPC clients the same codes", async () => {
    const me = (authorization?: string) =>
      fetch(`${server.url}/trpc/account.me`, { headers: authorization === undefined ? {} : { authorization } });
    const trpcError = async (res: Response) => ({
      status: res.status,
      appCode: ((await res.json()) as { error?: ErrorBody }).error?.data?.appCode,
    });

    const ok = await me(`Bearer ${alice.accessToken}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ result: { data: { id: alice.user.id } } });

    expect(await trpcError(await me())).toEqual({ status: 401, appCode: "UNAUTHENTICATED" });
    expect(await trpcError(await me("Bearer garbage"))).toEqual({ status: 401, appCode: "TOKEN_INVALID" });
    expect(await trpcError(await me(`Bearer ${signingInput({ alg: "none", typ: "JWT" }, claimsFor(alice))}.`))).toEqual({
      status: 401,
      appCode: "TOKEN_INVALID",
    });
    const past = Math.floor(Date.now() / 1000) - 60;
    expect(await trpcError(await me(`Bearer ${hs256(claimsFor(alice, { iat: past - 900, exp: past }))}`))).toEqual({
      status: 401,
      appCode: "TOKEN_EXPIRED",
    });
    expect(await trpcError(await me(`Bearer ${hs256(claimsFor(alice, { sid: bob.sessionId }))}`))).toEqual({
      status: 401,
      appCode: "SESSION_REVOKED",
    });
  });
});
