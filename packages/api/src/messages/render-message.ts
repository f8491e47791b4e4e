import type { MessageCatalogue, MessageKind, MessageParams, MessageShape } from "./message-kinds.ts";
import type { MessageLocale } from "./message-locale.ts";
import { en } from "./messages.en.ts";
import { ru } from "./messages.ru.ts";

const catalogues: Record<MessageLocale, MessageCatalogue> = { en, ru };

// A value with a line break in a subject would start a header of its own (a tenant's name is
// anyone's to choose), so breaks become spaces there.
const oneLine = (value: string) => value.replace(/[\r\n]+/g, " ");

function fill(template: string, params: Record<string, string>, clean: (value: string) => string = (value) => value): string {
  // One pass: a value that looks like `{code}` is left as it is, not filled in again.
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(params, name) ? clean(params[name]!) : placeholder,
  );
}

/**
 * A message in `locale`, filled with `params`: `{ subject, text }` for a mail, `{ body }` for an
 * SMS. Mails are plain text, so values go in as they are (no escaping), except line breaks in
 * the subject.
 */
export function renderMessage<K extends MessageKind>(kind: K, locale: MessageLocale, params: MessageParams<K>): MessageShape<K> {
  const template: { subject: string; text: string } | { body: string } = catalogues[locale][kind];
  const values: Record<string, string> = params;
  if ("subject" in template) {
    return { subject: fill(template.subject, values, oneLine), text: fill(template.text, values) } as MessageShape<K>;
  }
  return { body: fill(template.body, values) } as MessageShape<K>;
}
