export interface SmsMessage {
  /** E.164 recipient. */
  to: string;
  body: string;
}

export interface SmsProvider {
  readonly name: string;
  /** Resolves once the provider has accepted the message; `id` is the provider's reference. */
  send(message: SmsMessage): Promise<{ id?: string }>;
}

export interface SmsDeliveryErrorDetails {
  provider: string;
  /** HTTP status, when the provider answered. */
  status?: number;
  /** The provider's own error code (Twilio: e.g. 21211), for support and for deciding on retries. */
  providerCode?: string | number;
  /** True when the provider did not answer in time: the message may still have been sent. */
  timedOut?: boolean;
  cause?: unknown;
}

export class SmsDeliveryError extends Error {
  override readonly name = "SmsDeliveryError";
  readonly provider: string;
  readonly status?: number;
  readonly providerCode?: string | number;
  readonly timedOut: boolean;

  constructor(message: string, details: SmsDeliveryErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.provider = details.provider;
    if (details.status !== undefined) this.status = details.status;
    if (details.providerCode !== undefined) this.providerCode = details.providerCode;
    this.timedOut = details.timedOut ?? false;
  }
}
