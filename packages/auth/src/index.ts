export { checkPasswordPolicy, passwordPolicy } from "./password-policy.ts";
export type { PasswordPolicyResult, PasswordPolicyViolation } from "./password-policy.ts";
export {
  createPasswordHasher,
  passwordHashParameters,
  testPasswordHashParameters,
  type PasswordHasher,
  type PasswordHashParameters,
} from "./password-hashing.ts";
export { createAccessTokens, InvalidAccessTokenError } from "./access-tokens.ts";
export type {
  AccessTokenClaims,
  AccessTokenRole,
  AccessTokens,
  AccessTokensOptions,
  VerifiedAccessToken,
} from "./access-tokens.ts";
export { generateRefreshToken, hashRefreshToken } from "./refresh-tokens.ts";
export { generateOneTimeCode, hashOneTimeCode, oneTimeCodeMatches } from "./one-time-codes.ts";
export type { OneTimeCodeBinding, OneTimeCodePurpose } from "./one-time-codes.ts";
export { keyedHash } from "./keyed-hash.ts";
export { normalizePhone, phoneMatchesBlock } from "./phone.ts";
export type { NormalizePhoneResult, PhoneBlock } from "./phone.ts";
export { SmsDeliveryError } from "./sms/provider.ts";
export type { SmsDeliveryErrorDetails, SmsMessage, SmsProvider } from "./sms/provider.ts";
export { createConsoleSmsProvider } from "./sms/console.ts";
export { createTwilioSmsProvider } from "./sms/twilio.ts";
export { MailDeliveryError } from "./mail/provider.ts";
export type { MailMessage, MailProvider } from "./mail/provider.ts";
export { createConsoleMailProvider } from "./mail/console.ts";
export { createSmtpMailProvider, type SmtpMailProviderOptions } from "./mail/smtp.ts";
export type { TwilioSmsProviderOptions } from "./sms/twilio.ts";
