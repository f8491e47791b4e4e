import type { SmsMessage, SmsProvider } from "./provider.ts";

/**
 * Development provider: hands each message to the caller's writer (a logger) instead of sending
 * it, so sign-in codes can be read off the console without an SMS account.
 */
export function createConsoleSmsProvider(write: (message: SmsMessage) => void): SmsProvider {
  return {
    name: "console",
    async send({ to, body }) {
      write({ to, body });
      return {};
    },
  };
}
