import nodemailer from "nodemailer";
import { MailDeliveryError, type MailProvider } from "./provider.ts";

export interface SmtpMailProviderOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  /** The sender, e.g. `Tenantry <no-reply@example.com>`. */
  from: string;
  /** Longest wait for connecting, the greeting and each reply. */
  timeoutMs: number;
}

/**
 * Mail through any SMTP server (a relay, a provider's SMTP endpoint), with nodemailer.
 * Connections are pooled: each new one costs the TCP and TLS handshakes and the server's
 * greeting pause (smtp-server and Postfix wait ~100 ms to catch early talkers), which a burst
 * of sign-ups would otherwise pay per message. An idle connection closes after `timeoutMs`.
 */
export function createSmtpMailProvider(options: SmtpMailProviderOptions): MailProvider {
  const transport = nodemailer.createTransport({
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.secure,
    ...(options.user ? { auth: { user: options.user, pass: options.password ?? "" } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    name: "smtp",
    async send({ to, subject, text }) {
      try {
        const info = await transport.sendMail({ from: options.from, to, subject, text });
        return info.messageId ? { id: info.messageId } : {};
      } catch (error) {
        const e = error as { code?: string; responseCode?: number; message?: string };
        const timedOut = e.code === "ETIMEDOUT" || /timeout/i.test(e.message ?? "");
        throw new MailDeliveryError(`SMTP delivery failed: ${e.message ?? String(error)}`, {
          provider: "smtp",
          timedOut,
          ...(e.responseCode !== undefined ? { responseCode: e.responseCode } : {}),
          cause: error,
        });
      }
    },
    close() {
      transport.close();
    },
  };
}
