import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server that speaks the slice of Twilio's Messages API the platform uses:
 * `POST /2010-04-01/Accounts/{sid}/Messages.json`, form-encoded, HTTP basic auth. Tests read the
 * codes it received, and switch it to fail (4xx with Twilio's error body) or hang (timeout).
 */
export interface FakeTwilio {
  /** Base URL to put in TWILIO_BASE_URL. */
  url: string;
  accountSid: string;
  authToken: string;
  from: string;
  /** Every accepted message, oldest first. */
  messages: Array<{ to: string; from: string; body: string }>;
  /** The 6-digit code in the latest message to `to` (throws when there is none). */
  lastCodeFor(to: string): string;
  /** `ok` (default), `error` (400 with Twilio's error JSON) or `hang` (never answers). */
  mode: "ok" | "error" | "hang";
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = "AC00000000000000000000000000000000";
  const authToken = "fake-twilio-auth-token";
  const from = "+15005550006";
  const messages: FakeTwilio["messages"] = [];
  const hanging: Array<() => void> = [];
  let counter = 0;

  const fake: Omit<FakeTwilio, "url" | "close"> = {
    accountSid,
    authToken,
    from,
    messages,
    mode: "ok",
    lastCodeFor(to) {
      const message = messages.filter((m) => m.to === to).at(-1);
      const code = message?.body.match(/\b(\d{6})\b/)?.[1];
      if (!code) throw new Error(`fake Twilio: no code was sent to ${to}`);
      return code;
    },
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const expectedPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.method !== "POST" || req.url !== expectedPath) {
      return send(404, { code: 20404, message: "The requested resource was not found", status: 404 });
    }
    if (req.headers.authorization !== expectedAuth) {
      return send(401, { code: 20003, message: "Authenticate", status: 401 });
    }
    const form = new URLSearchParams(await readBody(req));
    if (fake.mode === "hang") {
      hanging.push(() => res.destroy());
      return;
    }
    if (fake.mode === "error") {
      return send(400, {
        code: 21211,
        message: `The 'To' number ${form.get("To")} is not a valid phone number.`,
        more_info: "https://www.twilio.com/docs/errors/21211",
        status: 400,
      });
    }
    const to = form.get("To") ?? "";
    messages.push({ to, from: form.get("From") ?? "", body: form.get("Body") ?? "" });
    counter += 1;
    send(201, { sid: `SM${String(counter).padStart(32, "0")}`, status: "queued", to, from: form.get("From") });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const drop of hanging) drop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as FakeTwilio;
}

/** Server environment that sends SMS through `twilio`. */
export function twilioEnv(twilio: FakeTwilio, timeoutMs = 2000): NodeJS.ProcessEnv {
  return {
    SMS_PROVIDER: "twilio",
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: twilio.from,
    TWILIO_BASE_URL: twilio.url,
    SMS_TIMEOUT_MS: String(timeoutMs),
  };
}
