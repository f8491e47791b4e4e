import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phoneNumbers, signInByPhone, type Profile } from "./support/accounts.ts";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "./support/fake-twilio.ts";
import type { ReceivedMail } from "./support/fake-smtp.ts";
import { testMailbox } from "./support/mailbox.ts";
import { testPassword, uniqueEmail } from "./support/sign-up.ts";
import {
  createTenant,
  expectApiError,
  expectStatus,
  freshClientAddress,
  register,
  tenantClient,
  tenantEnv,
  type CreatedInvitation,
  type TenantClient,
} from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/** What a browser set to Russian sends. */
const russianBrowser = "ru-RU,ru;q=0.9,en;q=0.8";

const russianSignInSms = /^Ваш код для входа в Tenantry: (\d{6})\. Он действует 5 минут\. Никому его не сообщайте\.$/;
const englishSignInSms = /^(\d{6}) is your code to sign in to Tenantry\. It expires in 5 minutes\. Never share it\.$/;

/** The bytes of one RFC 2047 encoded word (`=?UTF-8?B?…?=` or `=?UTF-8?Q?…?=`). */
function encodedWordBytes(encoding: string, data: string): Buffer {
  if (encoding.toUpperCase() === "B") return Buffer.from(data, "base64");
  return quotedPrintableBytes(data.replace(/_/g, " "));
}

function quotedPrintableBytes(data: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === "=" && /^[0-9A-F]{2}$/i.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(data[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes);
}

/**
 * A received mail as its reader sees it: the headers unfolded, the subject's encoded words and
 * the body's transfer encoding (base64 or quoted-printable for non-ASCII text) undone.
 */
function readMail(mail: ReceivedMail): { headers: string[]; subject: string; text: string } {
  const split = mail.raw.indexOf("\r\n\r\n");
  const headers = mail.raw
    .slice(0, split)
    .replace(/\r\n[ \t]/g, " ")
    .split("\r\n");
  const header = (name: string) =>
    headers.find((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.replace(/^[^:]+:\s*/, "") ?? "";
  // Encoded words next to each other are one run of bytes (a character may span two of them).
  const subject = header("Subject")
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/(?:=\?[^?]+\?([BQ])\?([^?]*)\?=)+/gi, (run) =>
      Buffer.concat([...run.matchAll(/=\?[^?]+\?([BQ])\?([^?]*)\?=/gi)].map((m) => encodedWordBytes(m[1]!, m[2]!))).toString(
        "utf8",
      ),
    );
  const body = mail.raw.slice(split + 4);
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const decoded =
    encoding === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? quotedPrintableBytes(body.replace(/=\r\n/g, "")).toString("utf8")
        : body;
  return { headers, subject, text: decoded.replace(/\r\n/g, "\n").trimEnd() };
}

/** The next mail to `address` after `seen` of them; waits up to 5 s (some go out after the answer). */
async function nextMailTo(address: string, seen: number): Promise<ReturnType<typeof readMail>> {
  const mailbox = await testMailbox();
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const mails = mailbox.received.filter((m) => m.to.includes(address));
    if (mails.length > seen) return readMail(mails.at(-1)!);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no new mail to ${address} within 5 s`);
}

async function mailsTo(address: string): Promise<number> {
  return (await testMailbox()).received.filter((m) => m.to.includes(address)).length;
}

/**
 * Mail and SMS are written in the recipient's language: the locale the account chose, else the
 * request's Accept-Language, else English. The stored locale is only ever what the user chose.
 */
describe.each(testBackends())("message languages on $name", (backend) => {
  let twilio: FakeTwilio;
  let server: TestServer;
  let api: TenantClient;
  // Block 64 of +41 79 555 64 NN: numbers no other suite uses.
  const nextPhone = phoneNumbers(64);

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    server = await startTestServer(backend, tenantEnv(twilioEnv(twilio)));
    api = tenantClient(server);
  });
  afterAll(async () => {
    await server?.stop();
    await twilio?.close();
  });

  /** Headers of a request from its own client address (per-IP limits stay out of the way). */
  const from = (acceptLanguage?: string): Record<string, string> => ({
    "x-forwarded-for": freshClientAddress(),
    ...(acceptLanguage !== undefined ? { "accept-language": acceptLanguage } : {}),
  });

  const lastSmsTo = (phone: string): string => {
    const body = twilio.messages.filter((m) => m.to === phone).at(-1)?.body;
    if (body === undefined) throw new Error(`no SMS to ${phone}`);
    return body;
  };

  const requestSignInCode = async (phone: string, acceptLanguage?: string) =>
    expectStatus(await api.post("/auth/phone/request-code", { phone }, { headers: from(acceptLanguage) }), 200);

  const setLocale = async (token: string, locale: string | null) =>
    expectStatus<Profile>(await api.patch("/account", { locale }, { token }), 200);

  describe("sign-in code SMS", () => {
    it("is in Russian for a Russian browser, and signing in does not store the browser's language", async () => {
      const phone = nextPhone();
      await requestSignInCode(phone, russianBrowser);
      const code = lastSmsTo(phone).match(russianSignInSms)?.[1];
      expect(code, lastSmsTo(phone)).toBeDefined();

      const signedIn = await expectStatus<{ isNewUser: boolean; user: Profile }>(
        await api.post("/auth/phone/verify-code", { phone, code }, { headers: from(russianBrowser) }),
        200,
      );
      expect(signedIn).toMatchObject({ isNewUser: true, user: { phone, locale: null } });
      expect((await server.db.prisma.user.findUniqueOrThrow({ where: { phone } })).locale).toBeNull();
    });

    it.each([
      ["no Accept-Language", undefined],
      ["an unsupported language", "fr"],
      ["only unsupported languages, weighted", "fr-CH, fr;q=0.9, de;q=0.7"],
      ["a malformed header", "ru;q=2, ;;;, ru_RU"],
      ["Russian refused", "ru;q=0, *"],
    ])("is in English with %s", async (_label, acceptLanguage) => {
      const phone = nextPhone();
      await requestSignInCode(phone, acceptLanguage);
      expect(lastSmsTo(phone)).toMatch(englishSignInSms);
    });

    /** An email account that chose `locale` and has `phone` (set in the database: no code spent on it). */
    async function accountWithPhone(locale: "en" | "ru", phone: string) {
      const user = await register(server, { verifyEmail: false });
      expect((await setLocale(user.accessToken, locale)).locale).toBe(locale);
      await server.db.prisma.user.update({ where: { id: user.user.id }, data: { phone, phoneVerifiedAt: new Date() } });
      return user;
    }

    it("follows the language of the account that has the number over the request's", async () => {
      const phone = nextPhone();
      await accountWithPhone("ru", phone);
      await requestSignInCode(phone, "en");
      expect(lastSmsTo(phone)).toMatch(russianSignInSms);

      const englishPhone = nextPhone();
      await accountWithPhone("en", englishPhone);
      await requestSignInCode(englishPhone, russianBrowser);
      expect(lastSmsTo(englishPhone)).toMatch(englishSignInSms);
    });

    it("writes the account's other codes in its language too, even to a number not yet its own", async () => {
      const phone = nextPhone();
      const user = await accountWithPhone("ru", phone);
      const as = { token: user.accessToken, headers: from("en") };
      await expectStatus(await api.post("/account/deletion/request-code", {}, as), 200);
      expect(lastSmsTo(phone)).toMatch(/^Ваш код для удаления аккаунта в Tenantry: \d{6}\. Он действует 5 минут\./);

      const newPhone = nextPhone();
      await expectStatus(await api.post("/account/phone/request-code", { phone: newPhone }, as), 200);
      expect(lastSmsTo(newPhone)).toMatch(/^Ваш код для подтверждения нового номера телефона в Tenantry: \d{6}\./);

      // Cleared, the request decides again.
      expect((await setLocale(user.accessToken, null)).locale).toBeNull();
      const otherPhone = nextPhone();
      await expectStatus(await api.post("/account/phone/request-code", { phone: otherPhone }, as), 200);
      expect(lastSmsTo(otherPhone)).toMatch(/^\d{6} is your code to confirm your new phone number for Tenantry\./);
    });
  });

  describe("the profile's locale", () => {
    it("is set, read back, and cleared with null; registering stores none", async () => {
      const user = await register(server, { verifyEmail: false });
      expect(user.user.locale).toBeNull();
      const me = await expectStatus<Profile>(await api.get("/account", { token: user.accessToken }), 200);
      expect(me.locale).toBeNull();

      const set = await setLocale(user.accessToken, "ru");
      expect(set).toEqual({ ...me, locale: "ru" });
      expect(await expectStatus<Profile>(await api.get("/account", { token: user.accessToken }), 200)).toEqual(set);
      // Left out, it stays as it is.
      const renamed = await expectStatus<Profile>(
        await api.patch("/account", { displayName: "Анна" }, { token: user.accessToken }),
        200,
      );
      expect(renamed).toMatchObject({ displayName: "Анна", locale: "ru" });

      const cleared = await setLocale(user.accessToken, null);
      expect(cleared.locale).toBeNull();
      expect((await server.db.prisma.user.findUniqueOrThrow({ where: { id: user.user.id } })).locale).toBeNull();
    });

    it("does not take the browser's language at registration", async () => {
      const email = uniqueEmail("ru-browser");
      const res = await api.post(
        "/auth/email/register",
        { email, password: "copper-meadow-lantern-84" },
        { headers: from(russianBrowser) },
      );
      const signedUp = await expectStatus<{ user: Profile }>(res, 201);
      expect(signedUp.user.locale).toBeNull();
    });

    it.each([["xx-invalid"], ["de"], ["ru-RU"], [""], [42], [["ru"]]])(
      "refuses locale %j with 400 naming the field",
      async (locale) => {
        const user = await register(server, { verifyEmail: false });
        await setLocale(user.accessToken, "ru");
        const refused = await expectApiError(
          await api.patch("/account", { locale }, { token: user.accessToken }),
          400,
          "VALIDATION_FAILED",
          "locale",
        );
        expect(refused.message).toContain("en, ru");
        expect((await server.db.prisma.user.findUniqueOrThrow({ where: { id: user.user.id } })).locale).toBe("ru");
      },
    );
  });

  describe("verification mail", () => {
    it("is in the account's language even when the request asks for English, and its code works", async () => {
      const user = await register(server, { verifyEmail: false });
      await setLocale(user.accessToken, "ru");
      const seen = await mailsTo(user.email);
      await expectStatus(
        await api.post("/account/email/verification/request-code", {}, { token: user.accessToken, headers: from("en") }),
        200,
      );
      const mail = await nextMailTo(user.email, seen);
      expect(mail.subject).toMatch(/^\d{6} — код подтверждения почты в Tenantry$/);
      const code = mail.text.match(
        /^Ваш код для подтверждения адреса электронной почты в Tenantry: (\d{6})\. Он действует 5 минут\. Никому его не сообщайте\.$/,
      )?.[1];
      expect(code, mail.text).toBeDefined();
      expect(mail.subject.startsWith(code!)).toBe(true);

      const verified = await expectStatus<Profile>(
        await api.post("/account/email/verification", { code }, { token: user.accessToken }),
        200,
      );
      expect(verified).toMatchObject({ emailVerified: true, locale: "ru" });
    });

    it("follows Accept-Language for an account that chose nothing", async () => {
      const russian = await register(server, { verifyEmail: false });
      let seen = await mailsTo(russian.email);
      await api.post("/account/email/verification/request-code", {}, { token: russian.accessToken, headers: from("ru") });
      expect((await nextMailTo(russian.email, seen)).subject).toMatch(/^\d{6} — код подтверждения почты в Tenantry$/);

      const english = await register(server, { verifyEmail: false });
      seen = await mailsTo(english.email);
      await api.post("/account/email/verification/request-code", {}, { token: english.accessToken, headers: from("fr") });
      const mail = await nextMailTo(english.email, seen);
      expect(mail.subject).toMatch(/^\d{6} is your Tenantry verification code$/);
      expect(mail.text).toMatch(/^\d{6} is your code to confirm your email address for Tenantry\./);
    });
  });

  describe("registration's verification mail", () => {
    it("is in the registering browser's language (the new account has none of its own), and its code works", async () => {
      const email = uniqueEmail("newcomer");
      const registered = await expectStatus<{ accessToken: string; user: Profile }>(
        await api.post("/auth/email/register", { email, password: testPassword }, { headers: from(russianBrowser) }),
        201,
      );
      expect(registered.user.locale).toBeNull();
      // Sent after the answer.
      const mail = await nextMailTo(email, 0);
      expect(mail.subject).toMatch(/^\d{6} — код подтверждения почты в Tenantry$/);
      const code = mail.subject.slice(0, 6);
      expect(mail.text).toContain(code);
      expect(
        await expectStatus<Profile>(
          await api.post("/account/email/verification", { code }, { token: registered.accessToken }),
          200,
        ),
      ).toMatchObject({ emailVerified: true, locale: null });
    });
  });

  describe("email change mail", () => {
    const requestChange = (token: string, email: string, acceptLanguage?: string) =>
      api.post("/account/email/request-code", { email }, { token, headers: from(acceptLanguage) });

    it("is in the account's language, whatever the request asks for, and its code changes the address", async () => {
      const user = await register(server);
      await setLocale(user.accessToken, "ru");
      const newEmail = uniqueEmail("moved");
      await expectStatus(await requestChange(user.accessToken, newEmail, "en-GB,en;q=0.9"), 200);
      const mail = await nextMailTo(newEmail, 0);
      expect(mail.subject).toMatch(/^\d{6} — код подтверждения адреса в Tenantry$/);
      const code = mail.text.match(
        /^Ваш код для подтверждения этого адреса в аккаунте Tenantry: (\d{6})\. Он действует 5 минут\. Никому его не сообщайте\. Если вы не просили привязать этот адрес к аккаунту Tenantry, просто не обращайте внимания на это письмо\.$/,
      )?.[1];
      expect(code, mail.text).toBeDefined();
      expect(mail.subject.startsWith(code!)).toBe(true);

      const changed = await expectStatus<Profile>(
        await api.post("/account/email", { email: newEmail, code }, { token: user.accessToken }),
        200,
      );
      expect(changed).toMatchObject({ email: newEmail, emailVerified: true, locale: "ru" });
    });

    it("follows Accept-Language for an account that chose nothing, English by default", async () => {
      const russian = await register(server);
      const toRussian = uniqueEmail("ru-target");
      await expectStatus(await requestChange(russian.accessToken, toRussian, russianBrowser), 200);
      expect((await nextMailTo(toRussian, 0)).subject).toMatch(/^\d{6} — код подтверждения адреса в Tenantry$/);

      const english = await register(server);
      const toEnglish = uniqueEmail("en-target");
      await expectStatus(await requestChange(english.accessToken, toEnglish), 200);
      const mail = await nextMailTo(toEnglish, 0);
      expect(mail.subject).toMatch(/^\d{6} is your code to confirm this address for Tenantry$/);
      expect(mail.text).toMatch(/^\d{6} is your code to confirm this address for your Tenantry account\./);
    });
  });

  describe("password reset mail", () => {
    const requestReset = (email: string, acceptLanguage?: string) =>
      api.post("/auth/password-reset/request-code", { email }, { headers: from(acceptLanguage) });

    it("is in the account's language, whatever the request asks for, and its code resets the password", async () => {
      const user = await register(server);
      await setLocale(user.accessToken, "ru");
      const seen = await mailsTo(user.email);
      expect(await expectStatus(await requestReset(user.email, "en-GB,en;q=0.9"), 200)).toEqual({
        sent: true,
        expiresInSeconds: 300,
      });
      const mail = await nextMailTo(user.email, seen);
      expect(mail.subject).toMatch(/^\d{6} — код для смены пароля в Tenantry$/);
      expect(mail.text).toMatch(
        /^Ваш код для смены пароля в Tenantry: \d{6}\. Он действует 5 минут\. Если вы его не запрашивали/,
      );
      const code = mail.subject.slice(0, 6);
      await expectStatus(
        await api.post("/auth/password-reset", { email: user.email, code, newPassword: "copper-meadow-lantern-84" }),
        200,
      );
    });

    it("follows Accept-Language for an account that chose nothing, English by default", async () => {
      const russian = await register(server);
      let seen = await mailsTo(russian.email);
      await expectStatus(await requestReset(russian.email, russianBrowser), 200);
      expect((await nextMailTo(russian.email, seen)).subject).toMatch(/^\d{6} — код для смены пароля в Tenantry$/);

      const english = await register(server);
      seen = await mailsTo(english.email);
      await expectStatus(await requestReset(english.email), 200);
      const mail = await nextMailTo(english.email, seen);
      expect(mail.subject).toMatch(/^\d{6} is your Tenantry password reset code$/);
      expect(mail.text).toMatch(/your password stays as it is\.$/);
    });
  });

  describe("invitations", () => {
    async function ownTenant(name: string) {
      const owner = await register(server);
      const tenant = await createTenant(server, owner.accessToken, { name });
      return { token: owner.accessToken, tenant: tenant.slug };
    }

    const inviteAs = async (as: { token: string; tenant: string }, body: object, acceptLanguage?: string) =>
      expectStatus<CreatedInvitation>(
        await api.post("/tenant/invitations", { role: "member", ...body }, { ...as, headers: from(acceptLanguage) }),
        201,
      );

    it("mails someone without an account in the inviter's language", async () => {
      const as = await ownTenant("Пекарня Утро");
      const email = uniqueEmail("newcomer");
      const created = await inviteAs(as, { email }, russianBrowser);
      const mail = await nextMailTo(email, 0);
      expect(mail.subject).toBe("Вас приглашают в «Пекарня Утро» на Tenantry");
      expect(mail.text).toBe(
        [
          "Вас приглашают присоединиться к «Пекарня Утро» на Tenantry.",
          "Войдите (или зарегистрируйтесь) с этим адресом, подтвердите его и примите приглашение с помощью этого кода:",
          created.token,
          "Приглашение действует 48 часов. Если вы его не ждали, просто не обращайте внимания на это письмо.",
        ].join("\n\n"),
      );
    });

    it("mails someone with an account in their chosen language, not the inviter's", async () => {
      // A free plan has two seats besides the owner's, and pending invitations hold one each.
      const as = await ownTenant("Acme Bakery");
      const russian = await register(server);
      await setLocale(russian.accessToken, "ru");
      const seenRussian = await mailsTo(russian.email);
      const toRussian = await inviteAs(as, { email: russian.email }, "en");
      const ru = await nextMailTo(russian.email, seenRussian);
      expect(ru.subject).toBe("Вас приглашают в «Acme Bakery» на Tenantry");
      expect(ru.text).toContain(toRussian.token);

      const english = await register(server);
      await setLocale(english.accessToken, "en");
      const seenEnglish = await mailsTo(english.email);
      await inviteAs(as, { email: english.email }, russianBrowser);
      expect((await nextMailTo(english.email, seenEnglish)).subject).toBe("You are invited to join Acme Bakery on Tenantry");

      // An account that chose nothing: the inviter's request decides.
      const undecided = await register(server);
      const seenUndecided = await mailsTo(undecided.email);
      await inviteAs(await ownTenant("Acme Bakery"), { email: undecided.email }, "ru");
      expect((await nextMailTo(undecided.email, seenUndecided)).subject).toBe("Вас приглашают в «Acme Bakery» на Tenantry");
    });

    // The renderer makes the subject one line (render-message.test.ts); this is the attack end to end.
    it("keeps a tenant name with line breaks out of the mail's headers", async () => {
      const as = await ownTenant("Evil\r\nBcc: victim@example.test\nX-Injected: yes");
      const email = uniqueEmail("header-target");
      await inviteAs(as, { email }, "en");
      const mail = await nextMailTo(email, 0);
      expect(mail.subject).toBe("You are invited to join Evil Bcc: victim@example.test X-Injected: yes on Tenantry");
      expect(mail.headers.filter((h) => /^(bcc|x-injected):/i.test(h))).toEqual([]);
      expect((await testMailbox()).received.some((m) => m.to.includes("victim@example.test"))).toBe(false);
    });

    it("texts an invitation in Russian: to a new number by the inviter's language, to an account by its own", async () => {
      const as = await ownTenant("Клуб Север");
      const phone = nextPhone();
      const created = await inviteAs(as, { phone }, russianBrowser);
      expect(lastSmsTo(phone)).toBe(
        `Вас приглашают в «Клуб Север» на Tenantry. Код приглашения: ${created.token} (действует 48 часов).`,
      );

      const memberPhone = nextPhone();
      const member = await signInByPhone(server, twilio, memberPhone);
      await setLocale(member.accessToken, "ru");
      const toMember = await inviteAs(as, { phone: memberPhone }, "en");
      expect(lastSmsTo(memberPhone)).toBe(
        `Вас приглашают в «Клуб Север» на Tenantry. Код приглашения: ${toMember.token} (действует 48 часов).`,
      );
      const accepted = await expectStatus<{ name: string }>(
        await api.post("/invitations/accept", { token: toMember.token }, { token: member.accessToken }),
        200,
      );
      expect(accepted.name).toBe("Клуб Север");

      const english = nextPhone();
      await inviteAs(await ownTenant("Клуб Север"), { phone: english });
      expect(lastSmsTo(english)).toMatch(
        /^You are invited to join Клуб Север on Tenantry\. Your invitation code: \S+ \(valid 48 hours\)\.$/,
      );
    });
  });
});
