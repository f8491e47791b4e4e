export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text: what the platform sends has no markup to sanitise. */
  text: string;
}

export interface MailProvider {
  readonly name: string;
  /** Resolves once the server accepted the message; `id` is its Message-ID when there is one. */
  send(message: MailMessage): Promise<{ id?: string }>;
  /** Lets go of open connections (the server calls it as it stops). */
  close?(): void;
}

/** The mail server refused the message, did not answer in time, or could not be reached. */
export class MailDeliveryError extends Error {
  override readonly name = "MailDeliveryError";
  constructor(
    message: string,
    readonly details: { provider: string; timedOut?: boolean; responseCode?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}
