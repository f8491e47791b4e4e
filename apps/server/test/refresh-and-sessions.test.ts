import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, signIn, signUp, testPassword, type SessionSummary, type SignedIn, type Tokens } from "./support/sign-up.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

interface ErrorBody {
  data?: { appCode?: string; httpStatus?: number };
}

const day = 24 * 60 * 60 * 1000;

// Each account below is registered on this file's one server: `registerPerIp` allows ten an hour.
describe.each(testBackends())("refresh tokens and sessions on $name", (backend) => {
  let server: TestServer;

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  const refresh = (refreshToken: string) => post("/auth/refresh", { refreshToken });

  async function refreshOk(refreshToken: string): Promise<Tokens> {
    const res = await refresh(refreshToken);
    expect(res.status).toBe(200);
    return res.body as Tokens;
  }

  /** Status and appCode of GET /account with `accessToken` (appCode undefined on success). */
  async function accountWith(accessToken: string) {
    const res = await fetch(`${server.url}/api/v1/account`, { headers: bearer(accessToken) });
    const body = (await res.json()) as ErrorBody & { id?: string };
    return { status: res.status, appCode: body.data?.appCode };
  }

  const appCodeOf = (res: { body: unknown }) => (res.body as ErrorBody).data?.appCode;
  const works = { status: 200, appCode: undefined };
  const revoked = { status: 401, appCode: "SESSION_REVOKED" };

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("rotates the pair on refresh: same session, new tokens, the same absolute end", async () => {
    const user = await signUp(server.url);
    const issuedAt = Date.now();
    const end = new Date(user.refreshTokenExpiresAt).getTime();
    // Thirty days from sign-up (give or take the test's own run time).
    expect(end - issuedAt).toBeGreaterThan(30 * day - 60_000);
    expect(end - issuedAt).toBeLessThanOrEqual(30 * day);

    const first = await refreshOk(user.refreshToken);
    expect(first).toMatchObject({ sessionId: user.sessionId, refreshTokenExpiresAt: user.refreshTokenExpiresAt });
    expect(first.refreshToken).not.toBe(user.refreshToken);
    expect(first.accessToken).not.toBe(user.accessToken);
    expect(await accountWith(first.accessToken)).toEqual(works);

    const second = await refreshOk(first.refreshToken);
    expect(second.refreshTokenExpiresAt).toBe(user.refreshTokenExpiresAt);
    const session = await server.db.prisma.session.findUniqueOrThrow({ where: { id: user.sessionId } });
    expect(session.expiresAt.toISOString()).toBe(user.refreshTokenExpiresAt);
    // One row per token handed out, all but the newest marked rotated; only hashes are stored.
    const rows = await server.db.prisma.refreshToken.findMany({ where: { sessionId: user.sessionId } });
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.rotatedAt === null)).toHaveLength(1);
    const raw = [user.refreshToken, first.refreshToken, second.refreshToken];
    expect(rows.some((r) => raw.includes(r.tokenHash))).toBe(false);
  });

  it("refuses unknown and malformed refresh tokens", async () => {
    const user = await signUp(server.url);
    const unknown = await refresh(`${user.refreshToken.slice(0, -2)}xx`);
    expect({ status: unknown.status, appCode: appCodeOf(unknown) }).toEqual({ status: 401, appCode: "REFRESH_TOKEN_INVALID" });
    // An access token is not a refresh token (and is longer than any refresh token may be).
    const access = await refresh(user.accessToken);
    expect(access.status).toBe(400);
    const empty = await refresh("");
    expect(empty.status).toBe(400);
    const missing = await post("/auth/refresh", {});
    expect(missing.status).toBe(400);
    // None of that harmed the real session.
    expect((await refresh(user.refreshToken)).status).toBe(200);
  });

  it("lets two tabs refresh with the same token at once; both new pairs work", async () => {
    const user = await signUp(server.url);
    const [a, b] = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const tabA = a.body as Tokens;
    const tabB = b.body as Tokens;
    expect(tabA.refreshToken).not.toBe(tabB.refreshToken);
    expect([tabA.sessionId, tabB.sessionId]).toEqual([user.sessionId, user.sessionId]);
    expect(await accountWith(tabA.accessToken)).toEqual(works);
    expect(await accountWith(tabB.accessToken)).toEqual(works);
    expect((await refresh(tabA.refreshToken)).status).toBe(200);
    expect((await refresh(tabB.refreshToken)).status).toBe(200);
    // A third, late tab inside the grace window still gets through, and nothing was revoked.
    expect((await refresh(user.refreshToken)).status).toBe(200);
    const session = await server.db.prisma.session.findUniqueOrThrow({ where: { id: user.sessionId } });
    expect(session.revokedAt).toBeNull();
  });

  it("treats reuse of a rotated token after the grace window as theft: the whole session ends", async () => {
    const user = await signUp(server.url);
    const otherDevice = await signIn(server.url, user);
    const latest = await refreshOk(user.refreshToken);

    // The rotated token is now older than the 10 s grace window.
    const moved = await server.db.prisma.refreshToken.updateMany({
      where: { sessionId: user.sessionId, rotatedAt: { not: null } },
      data: { rotatedAt: new Date(Date.now() - 11_000) },
    });
    expect(moved.count).toBe(1);

    const reused = await refresh(user.refreshToken);
    expect({ status: reused.status, appCode: appCodeOf(reused) }).toEqual({ status: 401, appCode: "REFRESH_TOKEN_REUSED" });

    // The legitimate holder's newest token is dead too, and so are the session's access tokens.
    const afterTheft = await refresh(latest.refreshToken);
    expect({ status: afterTheft.status, appCode: appCodeOf(afterTheft) }).toEqual({
      status: 401,
      appCode: "REFRESH_TOKEN_INVALID",
    });
    expect(await accountWith(latest.accessToken)).toEqual(revoked);
    expect(await accountWith(user.accessToken)).toEqual(revoked);
    const session = await server.db.prisma.session.findUniqueOrThrow({ where: { id: user.sessionId } });
    expect(session.revokedReason).toBe("refresh_token_reused");
    // Presenting the stolen token again changes nothing and says nothing new.
    const again = await refresh(user.refreshToken);
    expect({ status: again.status, appCode: appCodeOf(again) }).toEqual({ status: 401, appCode: "REFRESH_TOKEN_INVALID" });

    // Only that session: the account's other device carries on.
    expect(await accountWith(otherDevice.accessToken)).toEqual(works);
    expect((await refresh(otherDevice.refreshToken)).status).toBe(200);
  });

  it("ends a session at its absolute expiry: no refresh, no access", async () => {
    const user = await signUp(server.url);
    const otherDevice = await signIn(server.url, user);
    await server.db.prisma.session.update({
      where: { id: user.sessionId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });

    const res = await refresh(user.refreshToken);
    expect({ status: res.status, appCode: appCodeOf(res) }).toEqual({ status: 401, appCode: "REFRESH_TOKEN_INVALID" });
    expect(await accountWith(user.accessToken)).toEqual(revoked);

    const list = await fetch(`${server.url}/api/v1/account/sessions`, { headers: bearer(otherDevice.accessToken) });
    expect(list.status).toBe(200);
    expect(((await list.json()) as SessionSummary[]).map((s) => s.id)).toEqual([otherDevice.sessionId]);
  });

  it("signs out one session: its access and refresh tokens stop, the others carry on", async () => {
    const user = await signUp(server.url);
    const laptop = await signIn(server.url, user);

    const out = await post("/auth/sign-out", undefined, bearer(user.accessToken));
    expect(out).toEqual({ status: 200, body: { signedOut: true } });

    expect(await accountWith(user.accessToken)).toEqual(revoked);
    const res = await refresh(user.refreshToken);
    expect({ status: res.status, appCode: appCodeOf(res) }).toEqual({ status: 401, appCode: "REFRESH_TOKEN_INVALID" });
    const twice = await post("/auth/sign-out", undefined, bearer(user.accessToken));
    expect({ status: twice.status, appCode: appCodeOf(twice) }).toEqual(revoked);

    expect(await accountWith(laptop.accessToken)).toEqual(works);
    const renewed = await refreshOk(laptop.refreshToken);
    expect(await accountWith(renewed.accessToken)).toEqual(works);

    const anonymous = await post("/auth/sign-out", undefined);
    expect({ status: anonymous.status, appCode: appCodeOf(anonymous) }).toEqual({ status: 401, appCode: "UNAUTHENTICATED" });
  });

  it("signs out everywhere: every session of the account, and only that account", async () => {
    const user = await signUp(server.url);
    const devices: SignedIn[] = [user, await signIn(server.url, user), await signIn(server.url, user)];
    const renewed = await refreshOk(devices[1]!.refreshToken);
    const bystander = await signUp(server.url);

    const out = await post("/auth/sign-out-everywhere", {}, bearer(user.accessToken));
    expect(out).toEqual({ status: 200, body: { revokedSessions: 3 } });

    for (const tokens of [...devices, renewed]) {
      expect(await accountWith(tokens.accessToken)).toEqual(revoked);
      const res = await refresh(tokens.refreshToken);
      expect({ status: res.status, appCode: appCodeOf(res) }).toEqual({ status: 401, appCode: "REFRESH_TOKEN_INVALID" });
    }
    expect(await accountWith(bystander.accessToken)).toEqual(works);
    expect((await refresh(bystander.refreshToken)).status).toBe(200);

    // The password still works: signing in starts a fresh session.
    const back = await signIn(server.url, user);
    expect(await accountWith(back.accessToken)).toEqual(works);
  });

  it("changing the password signs out every other session and keeps this one", async () => {
    const user = await signUp(server.url);
    const phone = await signIn(server.url, user);
    const newPassword = "tenantry-Changed-pass-7q?";

    const wrong = await post(
      "/account/password",
      { currentPassword: "not-the-password-1!", newPassword },
      bearer(user.accessToken),
    );
    expect({ status: wrong.status, appCode: appCodeOf(wrong) }).toEqual({ status: 401, appCode: "CURRENT_PASSWORD_WRONG" });
    expect(await accountWith(phone.accessToken)).toEqual(works);

    const changed = await post("/account/password", { currentPassword: testPassword, newPassword }, bearer(user.accessToken));
    expect(changed).toEqual({ status: 200, body: { revokedSessions: 1 } });

    expect(await accountWith(user.accessToken)).toEqual(works);
    expect((await refresh(user.refreshToken)).status).toBe(200);
    expect(await accountWith(phone.accessToken)).toEqual(revoked);
    const res = await refresh(phone.refreshToken);
    expect({ status: res.status, appCode: appCodeOf(res) }).toEqual({ status: 401, appCode: "REFRESH_TOKEN_INVALID" });

    const oldPassword = await post("/auth/email/sign-in", { email: user.email, password: testPassword });
    expect({ status: oldPassword.status, appCode: appCodeOf(oldPassword) }).toEqual({
      status: 401,
      appCode: "INVALID_CREDENTIALS",
    });
    expect((await signIn(server.url, { email: user.email, password: newPassword })).user.id).toBe(user.user.id);
  });

  it("lists the caller's live sessions, marking the current one", async () => {
    const user = await signUp(server.url);
    const tablet = await signIn(server.url, user, { "user-agent": "TenantryTablet/2.1" });
    const stale = await signIn(server.url, user);
    await post("/auth/sign-out", undefined, bearer(stale.accessToken));

    const listWith = async (accessToken: string) => {
      const res = await fetch(`${server.url}/api/v1/account/sessions`, { headers: bearer(accessToken) });
      expect(res.status).toBe(200);
      return (await res.json()) as SessionSummary[];
    };

    const fromPhone = await listWith(user.accessToken);
    expect(fromPhone.map((s) => s.id).sort()).toEqual([user.sessionId, tablet.sessionId].sort());
    expect(fromPhone.filter((s) => s.current).map((s) => s.id)).toEqual([user.sessionId]);
    expect(fromPhone.find((s) => s.id === tablet.sessionId)).toMatchObject({
      current: false,
      userAgent: "TenantryTablet/2.1",
      expiresAt: tablet.refreshTokenExpiresAt,
    });

    const fromTablet = await listWith(tablet.accessToken);
    expect(fromTablet.filter((s) => s.current).map((s) => s.id)).toEqual([tablet.sessionId]);

    const revokedList = await fetch(`${server.url}/api/v1/account/sessions`, { headers: bearer(stale.accessToken) });
    expect(revokedList.status).toBe(401);
  });
});
