/**
 * Every limit of the platform in one place: points per window, by IP or by identifier.
 * Per-identifier limits stop a distributed attack on one account; per-IP limits stop one
 * client spraying many accounts.
 */
export const rateLimitRules = {
  /** Codes sent to one phone: one a minute… */
  codeRequestPerPhoneMinute: { points: 1, durationSeconds: 60 },
  /** …and five per ten minutes. */
  codeRequestPerPhone: { points: 5, durationSeconds: 600 },
  codeRequestPerIp: { points: 20, durationSeconds: 600 },
  codeVerifyPerPhone: { points: 10, durationSeconds: 600 },
  codeVerifyPerIp: { points: 50, durationSeconds: 600 },
  signInPerEmail: { points: 10, durationSeconds: 900 },
  signInPerIp: { points: 50, durationSeconds: 900 },
  registerPerIp: { points: 10, durationSeconds: 3600 },
  refreshPerIp: { points: 120, durationSeconds: 60 },
  /** Verification codes mailed to an account's address: one a minute… */
  emailCodePerUserMinute: { points: 1, durationSeconds: 60 },
  /** …and five per ten minutes. */
  emailCodePerUser: { points: 5, durationSeconds: 600 },
  emailCodeVerifyPerUser: { points: 10, durationSeconds: 600 },
  /** Password-reset codes mailed to one address (known or not): one a minute… */
  resetCodePerEmailMinute: { points: 1, durationSeconds: 60 },
  /** …and five per ten minutes. */
  resetCodePerEmail: { points: 5, durationSeconds: 600 },
  /** Reset attempts (code and new password) for one address. */
  resetVerifyPerEmail: { points: 10, durationSeconds: 600 },
  /** Password confirmations on a signed-in account (change password, delete account). */
  passwordCheckPerUser: { points: 10, durationSeconds: 900 },
  /** Writes by a module's customers (anyone signed in, e.g. placing orders), per tenant and user. */
  customerWritePerUser: { points: 60, durationSeconds: 60 },
} as const satisfies Record<string, { points: number; durationSeconds: number }>;

export type RateLimitRule = keyof typeof rateLimitRules;
