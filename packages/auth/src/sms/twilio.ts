import { SmsDeliveryError, type SmsProvider } from "./provider.ts";

export interface TwilioSmsProviderOptions {
  accountSid: string;
  authToken: string;
  /** A sender number (E.164) or, when it starts with `MG`, a Messaging Service SID. */
  from: string;
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

interface TwilioErrorBody {
  code?: number | string;
  message?: string;
  more_info?: string;
  status?: number;
}

const provider = "twilio";

/**
 * Twilio's Messages API over plain `fetch`: one form-encoded POST, so no SDK (and its dependency
 * tree) for a single call. Errors carry Twilio's code and message, never the credentials.
 */
export function createTwilioSmsProvider(options: TwilioSmsProviderOptions): SmsProvider {
  const { accountSid, authToken, from, timeoutMs = 5000, fetch = globalThis.fetch } = options;
  if (!accountSid || !authToken || !from) {
    throw new TypeError("Twilio SMS provider needs accountSid, authToken and from");
  }
  const baseUrl = (options.baseUrl ?? "https://api.twilio.com").replace(/\/+$/, "");
  const url = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`, "utf8").toString("base64")}`;

  return {
    name: provider,
    async send({ to, body }) {
      const form = new URLSearchParams({ To: to, Body: body });
      form.set(from.startsWith("MG") ? "MessagingServiceSid" : "From", from);

      let response: Response;
      let text: string;
      try {
        // The timeout covers reading the body too: the signal stays attached to the response.
        response = await fetch(url, {
          method: "POST",
          headers: {
            authorization,
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
          },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        throw new SmsDeliveryError(
          timedOut
            ? `Twilio did not answer within ${timeoutMs} ms; the message may or may not have been sent`
            : `Could not reach Twilio: ${error instanceof Error ? error.message : String(error)}`,
          { provider, timedOut, cause: error },
        );
      }

      if (!response.ok) {
        const details = parseJson<TwilioErrorBody>(text);
        const code = details?.code;
        const reason = typeof details?.message === "string" ? details.message : response.statusText || "no error message";
        throw new SmsDeliveryError(
          `Twilio refused the message (HTTP ${response.status}${code === undefined ? "" : `, code ${code}`}): ${reason}`,
          { provider, status: response.status, ...(code === undefined ? {} : { providerCode: code }) },
        );
      }

      // Twilio has accepted the message; an unreadable body must not turn into an error the caller
      // would retry, sending the code twice.
      const sid = parseJson<{ sid?: unknown }>(text)?.sid;
      return typeof sid === "string" ? { id: sid } : {};
    },
  };
}

function parseJson<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
