import { defineCatalogue } from "./message-kinds.ts";

export const ru = defineCatalogue({
  signInCode: {
    body: "Ваш код для входа в Tenantry: {code}. Он действует 5 минут. Никому его не сообщайте.",
  },
  phoneChangeCode: {
    body: "Ваш код для подтверждения нового номера телефона в Tenantry: {code}. Он действует 5 минут. Никому его не сообщайте.",
  },
  accountDeletionCode: {
    body: "Ваш код для удаления аккаунта в Tenantry: {code}. Он действует 5 минут. Никому его не сообщайте.",
  },
  emailVerificationCode: {
    subject: "{code} — код подтверждения почты в Tenantry",
    text: "Ваш код для подтверждения адреса электронной почты в Tenantry: {code}. Он действует 5 минут. Никому его не сообщайте.",
  },
  passwordResetCode: {
    subject: "{code} — код для смены пароля в Tenantry",
    text: "Ваш код для смены пароля в Tenantry: {code}. Он действует 5 минут. Если вы его не запрашивали, просто не обращайте внимания на это письмо: пароль останется прежним.",
  },
  invitationMail: {
    subject: "Вас приглашают в «{tenantName}» на Tenantry",
    text: `Вас приглашают присоединиться к «{tenantName}» на Tenantry.

Войдите (или зарегистрируйтесь) с этим адресом, подтвердите его и примите приглашение с помощью этого кода:

{token}

Приглашение действует 48 часов. Если вы его не ждали, просто не обращайте внимания на это письмо.`,
  },
  invitationSms: {
    body: "Вас приглашают в «{tenantName}» на Tenantry. Код приглашения: {token} (действует 48 часов).",
  },
});
