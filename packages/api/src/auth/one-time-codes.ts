import {
  generateOneTimeCode,
  hashOneTimeCode,
  oneTimeCodeMatches,
  SmsDeliveryError,
  type OneTimeCodePurpose,
} from "@tenantry/auth";
import { authPolicy, CodeInvalidError, PhoneBlockedError, SmsUnavailableError, type Context } from "@tenantry/api-core";
import { isPhoneBlocked } from "../admin/blocked-phones.ts";
import type { MessageKind } from "../messages/message-kinds.ts";
import { chooseMessageLocale } from "../messages/message-locale.ts";
import { renderMessage } from "../messages/render-message.ts";

type CodeContext = Pick<Context, "db" | "auth" | "ip" | "log" | "acceptLanguage">;

/** The purposes a code goes out by SMS for (the others are mailed). */
export type SmsCodePurpose = Extract<OneTimeCodePurpose, "sign_in" | "phone_change" | "account_deletion">;

const smsMessageFor = {
  sign_in: "signInCode",
  phone_change: "phoneChangeCode",
  account_deletion: "accountDeletionCode",
} as const satisfies Record<SmsCodePurpose, MessageKind>;

export interface CodeSent {
  /** Always true: the answer is the same whether or not an account exists. */
  sent: true;
  expiresInSeconds: number;
}

/**
 * Sends a fresh code to `phone` for `purpose`, replacing any earlier one. Limits: per IP, and per
 * phone one a minute and five per ten minutes. A blocked number is refused before anything is
 * sent. If the provider fails, nothing is stored, the phone's quota is given back, and the caller
 * gets SMS_UNAVAILABLE (503); an earlier code stays valid. The SMS is in the recipient's language:
 * the account's (`userId`, else whoever has the number), else the request's Accept-Language.
 */
export async function sendCode(
  ctx: CodeContext,
  { phone, purpose, userId }: { phone: string; purpose: SmsCodePurpose; userId?: string },
): Promise<CodeSent> {
  const { limiter } = ctx.auth;
  await limiter.consume("codeRequestPerIp", ctx.ip);
  if (await isPhoneBlocked(ctx.db, phone)) throw new PhoneBlockedError();
  // In the language of the account the code is for, else of whoever has the number (a new number
  // in a phone change has nobody yet). Read before the phone's quota is taken: a failure keeps it.
  const recipient = await ctx.db.user.findUnique({ where: userId ? { id: userId } : { phone }, select: { locale: true } });
  const locale = chooseMessageLocale({ userLocale: recipient?.locale, acceptLanguage: ctx.acceptLanguage });
  await limiter.consume("codeRequestPerPhoneMinute", phone);
  try {
    await limiter.consume("codeRequestPerPhone", phone);
  } catch (error) {
    await limiter.refund("codeRequestPerPhoneMinute", phone);
    throw error;
  }

  const code = generateOneTimeCode();
  try {
    await ctx.auth.sms.send({ to: phone, ...renderMessage(smsMessageFor[purpose], locale, { code }) });
  } catch (error) {
    if (!(error instanceof SmsDeliveryError)) throw error;
    ctx.log.error({ err: error, provider: error.provider, purpose }, "SMS delivery failed");
    await limiter.refund("codeRequestPerPhoneMinute", phone);
    await limiter.refund("codeRequestPerPhone", phone);
    throw new SmsUnavailableError();
  }

  return storeCode(ctx, { target: phone, purpose, code, userId });
}

/** Keeps the (hashed) code sent to `target`, replacing any earlier one for the same purpose. */
export async function storeCode(
  ctx: Pick<Context, "db" | "auth">,
  { target, purpose, code, userId }: { target: string; purpose: OneTimeCodePurpose; code: string; userId?: string | undefined },
): Promise<CodeSent> {
  const row = {
    codeHash: hashOneTimeCode(ctx.auth.codeSecret, { code, target, purpose }),
    attempts: 0,
    expiresAt: new Date(ctx.auth.now().getTime() + authPolicy.codeLifetimeMs),
    userId: userId ?? null,
  };
  await ctx.db.oneTimeCode.upsert({
    where: { purpose_target: { purpose, target } },
    create: { purpose, target, ...row },
    update: row,
  });
  return { sent: true, expiresInSeconds: authPolicy.codeLifetimeMs / 1000 };
}

/**
 * Consumes the code for `phone` and `purpose`, or throws CODE_INVALID. A code works once, for
 * five minutes, for three guesses; the third wrong guess voids it. `userId`, when given, must
 * be the account the code was sent for.
 */
export async function consumeCode(
  ctx: CodeContext,
  { phone, purpose, code, userId }: { phone: string; purpose: OneTimeCodePurpose; code: string; userId?: string },
): Promise<void> {
  await ctx.auth.limiter.consume("codeVerifyPerIp", ctx.ip);
  await ctx.auth.limiter.consume("codeVerifyPerPhone", phone);
  await consumeStoredCode(ctx, { target: phone, purpose, code, userId });
}

/**
 * The code check itself, for any target (a phone, an email address): the caller applies its
 * rate limits first.
 */
export async function consumeStoredCode(
  ctx: Pick<Context, "db" | "auth">,
  { target, purpose, code, userId }: { target: string; purpose: OneTimeCodePurpose; code: string; userId?: string | undefined },
): Promise<void> {
  const stored = await ctx.db.oneTimeCode.findUnique({
    where: { purpose_target: { purpose, target } },
  });
  if (
    !stored ||
    stored.expiresAt <= ctx.auth.now() ||
    stored.attempts >= authPolicy.codeMaxAttempts ||
    (userId !== undefined && stored.userId !== userId)
  ) {
    throw new CodeInvalidError();
  }

  // Guesses are counted with a conditional update, so concurrent guesses cannot get more than
  // the allowed number evaluated: a guess that does not win a free attempt is refused unchecked.
  const live = { id: stored.id, codeHash: stored.codeHash, attempts: { lt: authPolicy.codeMaxAttempts } };
  if (!oneTimeCodeMatches(ctx.auth.codeSecret, stored.codeHash, { code, target, purpose })) {
    const counted = await ctx.db.oneTimeCode.updateMany({ where: live, data: { attempts: { increment: 1 } } });
    if (counted.count === 0) {
      // No attempt was left for this guess: it was not evaluated, and the code is void.
      await ctx.db.oneTimeCode.deleteMany({ where: { id: stored.id, codeHash: stored.codeHash } });
      throw new CodeInvalidError();
    }
    const after = await ctx.db.oneTimeCode.findUnique({ where: { id: stored.id }, select: { attempts: true } });
    const left = after ? authPolicy.codeMaxAttempts - after.attempts : 0;
    if (left <= 0) {
      await ctx.db.oneTimeCode.deleteMany({ where: { id: stored.id, codeHash: stored.codeHash } });
      throw new CodeInvalidError("The code is wrong. That was the last try: request a new code.");
    }
    throw new CodeInvalidError(`The code is wrong. ${left} ${left === 1 ? "try" : "tries"} left.`);
  }

  // Deleting by id, hash and a free attempt makes the code single-use even under concurrent
  // verification, and a code voided by wrong guesses meanwhile cannot be used.
  const consumed = await ctx.db.oneTimeCode.deleteMany({ where: live });
  if (consumed.count !== 1) throw new CodeInvalidError();
}
