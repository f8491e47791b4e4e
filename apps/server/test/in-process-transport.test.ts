import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { socketFetch } from "./support/in-process-fetch.ts";
import { signUp, testPassword, uniqueEmail } from "./support/sign-up.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * The in-process transport most HTTP suites use (in-process-fetch.ts) must answer exactly as the
 * socket does: same status, body and headers the app sets, for every kind of request the suites
 * send. It leans on how Express and light-my-request build requests and responses; an upgrade
 * of either that breaks it fails here by name rather than as a hundred odd failures elsewhere.
 */
describe("the in-process transport", () => {
  const backend = testBackends()[0]!;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    token = (await signUp(server.url)).accessToken;
  });
  afterAll(() => server?.stop());

  /** Headers that differ between two answers by nature: per request or per connection. */
  const perAnswer = new Set(["date", "x-request-id", "connection", "keep-alive", "transfer-encoding", "content-length"]);
  const answerOf = async (response: Response) => ({
    status: response.status,
    headers: Object.fromEntries([...response.headers].filter(([name]) => !perAnswer.has(name))),
    body: (await response.text()).replace(/"(accessToken|refreshToken|id|sessionId)":"[^"]+"/g, '"$1":"…"'),
  });

  const requests: Array<[name: string, path: string, init: () => RequestInit]> = [
    ["a public REST read", "/api/v1/plans", () => ({})],
    ["an authenticated REST read", "/api/v1/account", () => ({ headers: { authorization: `Bearer ${token}` } })],
    ["a tRPC query", "/trpc/plans.list", () => ({})],
    ["a tRPC batch", "/trpc/plans.list,account.me?batch=1&input={}", () => ({ headers: { authorization: `Bearer ${token}` } })],
    ["a route that does not exist", "/api/v1/nothing-here", () => ({})],
    ["health", "/health", () => ({})],
    [
      "a REST write with a JSON body, refused",
      "/api/v1/auth/email/sign-in",
      () => ({
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: uniqueEmail(), password: testPassword }),
      }),
    ],
    [
      "malformed JSON",
      "/api/v1/auth/email/sign-in",
      () => ({ method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
    ],
    ["a POST without a body", "/api/v1/auth/sign-out", () => ({ method: "POST" })],
    ["a HEAD request", "/health", () => ({ method: "HEAD" })],
    [
      "a CORS preflight",
      "/trpc/plans.list",
      () => ({ method: "OPTIONS", headers: { origin: "https://app.example.test", "access-control-request-method": "GET" } }),
    ],
  ];

  it.each(requests)("answers %s as the socket does", async (_name, path, init) => {
    const overSocket = await answerOf(await socketFetch(`${server.url}${path}`, init()));
    const inProcess = await answerOf(await fetch(`${server.url}${path}`, init()));
    expect(inProcess).toEqual(overSocket);
  });

  it("is what fetch uses for a test server, and not for one started with sockets", async () => {
    const servers = [await startTestServer(backend), await startTestServer(backend, {}, {}, { sockets: true })];
    try {
      const connections = [0, 0];
      servers.forEach((s, i) => s.server.on("connection", () => (connections[i]! += 1)));
      for (const s of servers) expect((await fetch(`${s.url}/health`)).status).toBe(200);
      const expected = process.env.TEST_TRANSPORT === "sockets" ? [1, 1] : [0, 1];
      expect({ inProcess: servers.map((s) => s.inProcess), connections }).toEqual({
        inProcess: expected.map((n) => n === 0),
        connections: expected,
      });
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
