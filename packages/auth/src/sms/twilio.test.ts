import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SmsDeliveryError } from "./provider.ts";
import { createTwilioSmsProvider } from "./twilio.ts";

const accountSid = "AC00000000000000000000000000000001";
const authToken = "twilio-auth-token-do-not-leak";

interface ReceivedRequest {
  method: string | undefined;
  path: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  form: Record<string, string>;
}

type Handler = (request: ReceivedRequest, response: ServerResponse) => void;

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP server on port 0 that speaks just enough of Twilio's Messages API. */
async function startFakeTwilio(handler: Handler): Promise<{ baseUrl: string; received: ReceivedRequest[] }> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const entry: ReceivedRequest = {
        method: request.method,
        path: request.url,
        authorization: request.headers.authorization,
        contentType: request.headers["content-type"],
        form: Object.fromEntries(new URLSearchParams(body)),
      };
      received.push(entry);
      handler(entry, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, received };
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** Answers like Twilio when the request is well-formed, and 401/404/400 when it is not. */
const messagesApi: Handler = (request, response) => {
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
  if (request.authorization !== expectedAuth) return json(response, 401, { code: 20003, message: "Authenticate", status: 401 });
  if (request.method !== "POST" || request.path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
    return json(response, 404, { code: 20404, message: "Not found", status: 404 });
  }
  if (request.contentType !== "application/x-www-form-urlencoded" || !request.form.To || !request.form.Body) {
    return json(response, 400, { code: 21602, message: "Message body is required.", status: 400 });
  }
  json(response, 201, { sid: "SM0123456789abcdef0123456789abcdef", status: "queued", to: request.form.To });
};

async function sendError(promise: Promise<unknown>): Promise<SmsDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SmsDeliveryError);
  return error as SmsDeliveryError;
}

describe("Twilio SMS provider", () => {
  it("posts the form with basic auth and returns the message sid", async () => {
    const twilio = await startFakeTwilio(messagesApi);
    const provider = createTwilioSmsProvider({ accountSid, authToken, from: "+15005550006", baseUrl: twilio.baseUrl });
    expect(provider.name).toBe("twilio");

    await expect(provider.send({ to: "+41791234567", body: "Your code is 042917 & more" })).resolves.toEqual({
      id: "SM0123456789abcdef0123456789abcdef",
    });
    expect(twilio.received).toHaveLength(1);
    expect(twilio.received[0]!.form).toEqual({ To: "+41791234567", From: "+15005550006", Body: "Your code is 042917 & more" });
  });

  it("sends a Messaging Service SID as MessagingServiceSid, not From", async () => {
    const twilio = await startFakeTwilio(messagesApi);
    const provider = createTwilioSmsProvider({
      accountSid,
      authToken,
      from: "MG0123456789abcdef",
      baseUrl: `${twilio.baseUrl}/`,
    });
    await provider.send({ to: "+41791234567", body: "hi" });
    expect(twilio.received[0]!.form).toEqual({ To: "+41791234567", MessagingServiceSid: "MG0123456789abcdef", Body: "hi" });
  });

  it("turns Twilio's error body into an SmsDeliveryError without the credentials", async () => {
    const twilio = await startFakeTwilio((_request, response) =>
      json(response, 400, {
        code: 21211,
        message: "The 'To' number is not a valid phone number.",
        more_info: "https://www.twilio.com/docs/errors/21211",
        status: 400,
      }),
    );
    const provider = createTwilioSmsProvider({ accountSid, authToken, from: "+15005550006", baseUrl: twilio.baseUrl });
    const error = await sendError(provider.send({ to: "+4100", body: "hi" }));
    expect(error).toMatchObject({ provider: "twilio", status: 400, providerCode: 21211, timedOut: false });
    expect(error.message).toContain("The 'To' number is not a valid phone number.");
    expect(error.message).toContain("21211");
    expect(error.message).not.toContain(authToken);
    expect(JSON.stringify(error)).not.toContain(authToken);
  });

  it("reports wrong credentials as a delivery error", async () => {
    const twilio = await startFakeTwilio(messagesApi);
    const provider = createTwilioSmsProvider({
      accountSid,
      authToken: "wrong-token",
      from: "+15005550006",
      baseUrl: twilio.baseUrl,
    });
    const error = await sendError(provider.send({ to: "+41791234567", body: "hi" }));
    expect(error).toMatchObject({ status: 401, providerCode: 20003, timedOut: false });
    expect(error.message).not.toContain("wrong-token");
  });

  it("copes with a non-JSON error body", async () => {
    const twilio = await startFakeTwilio((_request, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end("<html>Bad Gateway</html>");
    });
    const provider = createTwilioSmsProvider({ accountSid, authToken, from: "+15005550006", baseUrl: twilio.baseUrl });
    const error = await sendError(provider.send({ to: "+41791234567", body: "hi" }));
    expect(error).toMatchObject({ status: 502, timedOut: false });
    expect(error.providerCode).toBeUndefined();
  });

  it("gives up after timeoutMs when Twilio never answers", async () => {
    const twilio = await startFakeTwilio(() => {
      // Never answers.
    });
    const provider = createTwilioSmsProvider({
      accountSid,
      authToken,
      from: "+15005550006",
      baseUrl: twilio.baseUrl,
      // Long enough for the request to reach the fake on a loaded CI machine (at 100 ms it
      // sometimes gave up before sending), so the timeout is the missing answer's.
      timeoutMs: 1000,
    });
    const error = await sendError(provider.send({ to: "+41791234567", body: "hi" }));
    expect(error).toMatchObject({ provider: "twilio", timedOut: true });
    expect(error.status).toBeUndefined();
    expect(error.message).toContain("1000 ms");
    expect(twilio.received).toHaveLength(1);
  });

  it("reports an unreachable server as a delivery error that did not time out", async () => {
    const twilio = await startFakeTwilio(messagesApi);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const provider = createTwilioSmsProvider({ accountSid, authToken, from: "+15005550006", baseUrl: twilio.baseUrl });
    const error = await sendError(provider.send({ to: "+41791234567", body: "hi" }));
    expect(error).toMatchObject({ provider: "twilio", timedOut: false });
    expect(error.message).not.toContain(authToken);
  });

  it("refuses to be created without credentials", () => {
    expect(() => createTwilioSmsProvider({ accountSid, authToken: "", from: "+15005550006" })).toThrow(TypeError);
  });
});
