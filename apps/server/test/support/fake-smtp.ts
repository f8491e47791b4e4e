import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message as received (headers and body). */
  raw: string;
}

export interface FakeSmtp {
  port: number;
  /** `accept` (default), `refuse` (a permanent 550 for every recipient) or `hang` (no reply). */
  mode: "accept" | "refuse" | "hang";
  received: ReceivedMail[];
  /** Recipients turned away in `refuse` mode, in order: a mail sent in the background failed once its address is here. */
  refused: string[];
  /** The 6-digit code in the last message to `address` that carries one; throws when none came. */
  lastCodeFor(address: string): string;
  /** Resolves once a message with a code has reached `address`; throws when none came within `timeoutMs`. */
  waitForCodeTo(address: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a random local port (the `smtp-server` package), standing in for the
 * mail provider: the server under test speaks SMTP to it exactly as to a real relay.
 */
export async function startFakeSmtp(): Promise<FakeSmtp> {
  const received: ReceivedMail[] = [];
  const refused: string[] = [];
  const hanging: Array<() => void> = [];
  const fake = { mode: "accept" } as FakeSmtp;
  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS certificate to trust, no login.
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (fake.mode === "refuse") {
        refused.push(address.address);
        const error = Object.assign(new Error("mailbox unavailable"), { responseCode: 550 });
        callback(error);
        return;
      }
      if (fake.mode === "hang") {
        hanging.push(() => callback());
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return Object.assign(fake, {
    port: (server.server.address() as AddressInfo).port,
    received,
    refused,
    lastCodeFor(address: string) {
      const code = received.flatMap((m) => (isTo(m, address) ? (codeIn(m) ?? []) : [])).at(-1);
      if (!code) throw new Error(`fake SMTP: no code was mailed to ${address}`);
      return code;
    },
    async waitForCodeTo(address: string, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!received.some((m) => isTo(m, address) && codeIn(m))) {
        if (Date.now() > deadline) throw new Error(`fake SMTP: no code mailed to ${address} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: async () => {
      for (const release of hanging.splice(0)) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function isTo(mail: ReceivedMail, address: string): boolean {
  return mail.to.includes(address.toLowerCase()) || mail.to.includes(address);
}

function codeIn(mail: ReceivedMail): string | undefined {
  return /\b(\d{6})\b/.exec(mail.raw)?.[1];
}

/** Server environment that mails through `smtp`. */
export function smtpEnv(smtp: FakeSmtp, timeoutMs = 5000): NodeJS.ProcessEnv {
  return {
    MAIL_PROVIDER: "smtp",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtp.port),
    SMTP_SECURE: "false",
    MAIL_FROM: "Tenantry <no-reply@tenantry.test>",
    MAIL_TIMEOUT_MS: String(timeoutMs),
  };
}
