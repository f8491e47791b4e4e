import { createClient, createSession, isSignedOutError, isTenantryError, type Tokens } from "@tenantry/sdk";
import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * The SDK's built-in refresh against the real server, with three-second access tokens: calls that
 * fail because the token expired share one refresh and are sent again; a refresh the server
 * refuses signs the session out, once, with a typed error.
 */

/** Short, but long enough for a call sent again after a refresh to arrive within it on a busy machine. */
const accessTtlSeconds = 3;
/** Long enough for the token to be past its `exp`, whatever the clocks' rounding. */
const untilExpired = () => new Promise((resolve) => setTimeout(resolve, accessTtlSeconds * 1000 + 1100));

// Concurrent: each test waits out its own account's token (four seconds), and nothing is shared
// but the server.
describe.concurrent("the SDK's session refresh", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(testBackends()[0]!, { JWT_ACCESS_TTL_SECONDS: String(accessTtlSeconds) });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /**
   * A client with a fresh account's session, counting the refreshes it sends. `hold` may keep an
   * answer from reaching the client until a promise settles.
   */
  async function signedInClient(hold?: (url: string) => Promise<void> | undefined) {
    const refreshes: string[] = [];
    const stored: Array<Tokens | undefined> = [];
    const signedOut: string[] = [];
    const session = createSession({
      onTokens: (tokens) => stored.push(tokens),
      onSignedOut: (error) => signedOut.push(error.reason),
    });
    const client = createClient({
      url: server.url,
      session,
      fetch: async (url, init) => {
        if (String(url).includes("auth.refresh")) refreshes.push(String(url));
        const response = await fetch(url, init);
        await hold?.(String(url));
        return response;
      },
    });
    const email = `refresh-${Math.random().toString(36).slice(2)}@example.test`;
    session.setTokens(await client.auth.email.register.mutate({ email, password: "a long enough password" }));
    return { client, session, refreshes, stored, signedOut, email };
  }

  it("refreshes once for many calls that met an expired token, and sends them again", async ({ expect }) => {
    const { client, session, refreshes, stored } = await signedInClient();
    const before = session.tokens!;
    await untilExpired();

    const answers = await Promise.all([
      client.account.me.query(),
      client.account.sessions.list.query(),
      client.tenants.list.query(),
      client.account.me.query(),
    ]);
    expect(answers[0].email).toBe(answers[3].email);
    expect(refreshes).toHaveLength(1);
    expect(session.tokens!.accessToken).not.toBe(before.accessToken);
    expect(session.tokens!.refreshToken).not.toBe(before.refreshToken);
    expect(stored.at(-1)).toEqual(session.tokens);
  });

  it("signs out with a typed error, once, when the server refuses the refresh", async ({ expect }) => {
    const { client, session, refreshes, signedOut, email } = await signedInClient();
    // Every session of the account ends (as after a password change elsewhere).
    const other = createClient({ url: server.url });
    const elsewhere = await other.auth.email.signIn.mutate({ email, password: "a long enough password" });
    await createClient({ url: server.url, token: elsewhere.accessToken }).auth.signOutEverywhere.mutate();
    await untilExpired();

    const failures = await Promise.all([
      client.account.me.query().catch((error: unknown) => error),
      client.tenants.list.query().catch((error: unknown) => error),
    ]);
    for (const failure of failures) {
      expect(isSignedOutError(failure)).toBe(true);
      if (isSignedOutError(failure)) expect(failure.reason).toBe("REFRESH_TOKEN_INVALID");
    }
    expect(refreshes).toHaveLength(1);
    expect(signedOut).toEqual(["REFRESH_TOKEN_INVALID"]);
    expect(session.tokens).toBeUndefined();

    // Signed out, a call goes without a token: the server's own answer, typed.
    const anonymous = await client.account.me.query().catch((error: unknown) => error);
    expect(isTenantryError(anonymous) && anonymous.data.appCode === "UNAUTHENTICATED").toBe(true);
  });

  it("sends a call again without refreshing when the token it carried was replaced meanwhile", async ({ expect }) => {
    let release: (() => void) | undefined;
    let holdNext = false;
    const { client, refreshes } = await signedInClient((url) => {
      if (!holdNext || !url.includes("account.me")) return undefined;
      holdNext = false;
      return new Promise<void>((resolve) => (release = resolve));
    });
    await untilExpired();

    holdNext = true;
    const slow = client.account.me.query();
    // The slow call's request has gone out with the old token; its TOKEN_EXPIRED answer is held.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.tenants.list.query();
    expect(refreshes).toHaveLength(1);
    release!();
    expect((await slow).email).toContain("@example.test");
    expect(refreshes).toHaveLength(1);
  });

  it("refuses a client given both a session and a token", ({ expect }) => {
    expect(() => createClient({ url: server.url, session: createSession(), token: "x" })).toThrow(/either `session` or `token`/);
  });
});
