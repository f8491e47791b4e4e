/**
 * Every message the platform sends: its channel, and the parameters its text is filled with.
 * Parameters are plain text; the catalogues write them as `{name}` placeholders.
 */
export interface MessageKinds {
  signInCode: { channel: "sms"; params: "code" };
  phoneChangeCode: { channel: "sms"; params: "code" };
  accountDeletionCode: { channel: "sms"; params: "code" };
  emailVerificationCode: { channel: "mail"; params: "code" };
  emailChangeCode: { channel: "mail"; params: "code" };
  passwordResetCode: { channel: "mail"; params: "code" };
  invitationMail: { channel: "mail"; params: "tenantName" | "token" };
  invitationSms: { channel: "sms"; params: "tenantName" | "token" };
}

export type MessageKind = keyof MessageKinds;

export type MessageParams<K extends MessageKind> = Record<MessageKinds[K]["params"], string>;

/** A mail has a subject and a plain-text body; an SMS only a body. Templates and output alike. */
export type MessageShape<K extends MessageKind> = MessageKinds[K]["channel"] extends "mail"
  ? { subject: string; text: string }
  : { body: string };

/** One locale's texts: every message, none left out. */
export type MessageCatalogue = { [K in MessageKind]: MessageShape<K> };

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/**
 * `S` when its placeholders are all parameters of the message (and, with `All`, use every one
 * of them); otherwise a type naming the problem, which the template then fails to match.
 */
type Checked<S extends string, Names extends string, All extends boolean> = [Exclude<Placeholders<S>, Names>] extends [never]
  ? All extends true
    ? [Exclude<Names, Placeholders<S>>] extends [never]
      ? S
      : S & { missingParameter: Exclude<Names, Placeholders<S>> }
    : S
  : S & { unknownParameter: Exclude<Placeholders<S>, Names> };

// A subject may leave parameters out (a long token does not belong there); a body may not.
type CheckedTemplate<T, K extends MessageKind> = T extends {
  subject: infer Subject extends string;
  text: infer Text extends string;
}
  ? { subject: Checked<Subject, MessageKinds[K]["params"], false>; text: Checked<Text, MessageKinds[K]["params"], true> }
  : T extends { body: infer Body extends string }
    ? { body: Checked<Body, MessageKinds[K]["params"], true> }
    : MessageShape<K>;

// Loose on purpose: a catalogue missing a message still infers, so the error names that message.
type DraftCatalogue = { [K in MessageKind]?: MessageShape<K> };

// A message no kind declares would never be sent: a typo, or a kind removed from one locale only.
type CheckedCatalogue<C extends DraftCatalogue> = {
  [K in MessageKind]: K extends keyof C ? CheckedTemplate<C[K], K> : MessageShape<K>;
} & { [K in Exclude<keyof C, MessageKind>]: never };

/**
 * Declares one locale's catalogue. Type-checks only if it has every message and no other, and
 * every message's text names every one of its parameters and no other.
 */
export function defineCatalogue<const C extends DraftCatalogue>(catalogue: C & CheckedCatalogue<C>): MessageCatalogue {
  // The check above has required every message; TypeScript cannot see that through the generic.
  return catalogue as MessageCatalogue;
}
