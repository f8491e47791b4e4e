import { defineCatalogue } from "./message-kinds.ts";

export const en = defineCatalogue({
  signInCode: {
    body: "{code} is your code to sign in to Tenantry. It expires in 5 minutes. Never share it.",
  },
  phoneChangeCode: {
    body: "{code} is your code to confirm your new phone number for Tenantry. It expires in 5 minutes. Never share it.",
  },
  accountDeletionCode: {
    body: "{code} is your code to delete your account on Tenantry. It expires in 5 minutes. Never share it.",
  },
  emailVerificationCode: {
    subject: "{code} is your Tenantry verification code",
    text: "{code} is your code to confirm your email address for Tenantry. It expires in 5 minutes. Never share it.",
  },
  emailChangeCode: {
    subject: "{code} is your code to confirm this address for Tenantry",
    text: "{code} is your code to confirm this address for your Tenantry account. It expires in 5 minutes. Never share it. If you did not ask to use this address on Tenantry, ignore this message.",
  },
  passwordResetCode: {
    subject: "{code} is your Tenantry password reset code",
    text: "{code} is your code to set a new password on Tenantry. It expires in 5 minutes. If you did not ask for it, ignore this message: your password stays as it is.",
  },
  invitationMail: {
    subject: "You are invited to join {tenantName} on Tenantry",
    text: `You are invited to join {tenantName} on Tenantry.

Sign in (or create an account) with this address, verify it, and accept the invitation with this code:

{token}

The invitation is valid for 48 hours. If you did not expect it, ignore this message.`,
  },
  invitationSms: {
    body: "You are invited to join {tenantName} on Tenantry. Your invitation code: {token} (valid 48 hours).",
  },
});
