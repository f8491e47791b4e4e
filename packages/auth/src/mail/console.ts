import type { MailMessage, MailProvider } from "./provider.ts";

/**
 * Development provider: hands each message to the caller's writer (a logger) instead of sending
 * it, so verification codes can be read off the console without a mail server.
 */
export function createConsoleMailProvider(write: (message: MailMessage) => void): MailProvider {
  return {
    name: "console",
    async send(message) {
      write(message);
      return {};
    },
  };
}
