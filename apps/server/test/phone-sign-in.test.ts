import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "./support/fake-twilio.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

describe.each(testBackends())("phone sign-in through Twilio on $name", (backend) => {
  let twilio: FakeTwilio;
  let server: TestServer;
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}/api/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    server = await startTestServer(backend, twilioEnv(twilio));
  });
  afterAll(async () => {
    await server?.stop();
    await twilio?.close();
  });

  it("sends a code, signs in with it, creates the account once", async () => {
    const requested = await post("/auth/phone/request-code", { phone: "+41 79 555 01 01" });
    expect(requested.status).toBe(200);
    expect(await requested.json()).toEqual({ sent: true, expiresInSeconds: 300 });

    const code = twilio.lastCodeFor("+41795550101");
    const verified = await post("/auth/phone/verify-code", { phone: "0041795550101", code });
    expect(verified.status).toBe(200);
    const session = (await verified.json()) as { accessToken: string; isNewUser: boolean; user: { phone: string } };
    expect(session).toMatchObject({ isNewUser: true, user: { phone: "+41795550101" } });

    const me = await fetch(`${server.url}/api/v1/account`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(await me.json()).toMatchObject({ phone: "+41795550101", hasPassword: false });

    // The code was single use.
    const again = await post("/auth/phone/verify-code", { phone: "+41795550101", code });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ data: { appCode: "CODE_INVALID" } });
  });
});
