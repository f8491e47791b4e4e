import { describe, expect, it } from "vitest";
import type { MessageKind, MessageParams } from "./message-kinds.ts";
import { messageLocales, type MessageLocale } from "./message-locale.ts";
import { renderMessage } from "./render-message.ts";

/** Sample values for every message; typed, so a new message cannot be left out here either. */
const samples: { [K in MessageKind]: MessageParams<K> } = {
  signInCode: { code: "482913" },
  phoneChangeCode: { code: "482913" },
  accountDeletionCode: { code: "482913" },
  emailVerificationCode: { code: "482913" },
  emailChangeCode: { code: "482913" },
  passwordResetCode: { code: "482913" },
  invitationMail: { tenantName: "Acme Bakery", token: "tok_Zx81-qP" },
  invitationSms: { tenantName: "Acme Bakery", token: "tok_Zx81-qP" },
};
const kinds = Object.keys(samples) as MessageKind[];

const renderSample = <K extends MessageKind>(kind: K, locale: MessageLocale): Record<string, string> =>
  renderMessage(kind, locale, samples[kind]);

describe("renderMessage", () => {
  describe.each(messageLocales)("in %s", (locale) => {
    it.each(kinds)("renders %s with every parameter filled in", (kind) => {
      const rendered = renderSample(kind, locale);
      const texts = Object.values(rendered);
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) {
        expect(text.trim()).not.toBe("");
        expect(text).not.toMatch(/\{\w+\}/);
      }
      const main = rendered.text ?? rendered.body!;
      for (const value of Object.values(samples[kind] as Record<string, string>)) expect(main).toContain(value);
    });
  });

  it("writes each locale in its own language", () => {
    expect(renderMessage("signInCode", "ru", { code: "123456" })).toEqual({
      body: "Ваш код для входа в Tenantry: 123456. Он действует 5 минут. Никому его не сообщайте.",
    });
    expect(renderMessage("signInCode", "en", { code: "123456" })).toEqual({
      body: "123456 is your code to sign in to Tenantry. It expires in 5 minutes. Never share it.",
    });
    const mail = renderMessage("invitationMail", "ru", { tenantName: "Пекарня", token: "abc" });
    expect(mail.subject).toBe("Вас приглашают в «Пекарня» на Tenantry");
    expect(mail.text).toMatch(/^Вас приглашают присоединиться к «Пекарня» на Tenantry\.\n\n/);
  });

  it("keeps a subject on one line whatever the values hold, and leaves the text's values as they are", () => {
    const tenantName = "Acme\r\nBcc: victim@example.com\nX-Injected: 1";
    for (const locale of messageLocales) {
      const mail = renderMessage("invitationMail", locale, { tenantName, token: "abc" });
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.subject).toContain("Acme Bcc: victim@example.com X-Injected: 1");
      expect(mail.text).toContain(tenantName);
    }
  });

  it("fills values in once: a value that looks like a placeholder stays as written", () => {
    const sms = renderMessage("invitationSms", "en", { tenantName: "{token} $& $1", token: "abc" });
    expect(sms.body).toBe("You are invited to join {token} $& $1 on Tenantry. Your invitation code: abc (valid 48 hours).");
  });
});
