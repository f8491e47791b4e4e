import { randomUUID } from "node:crypto";
import { MailDeliveryError, type MailMessage, type MailProvider } from "@tenantry/auth";
import { createRateLimiter, EmailUnavailableError, RateLimitedError, type AuthRuntime } from "@tenantry/api-core";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { giveBackEmailCodeQuota, mailRequestedCode, takeEmailCodeQuota } from "./email-codes.ts";

const newLimiter = () => createRateLimiter({ keyPrefix: `test-${randomUUID()}:` });

describe("email code quotas", () => {
  it("counts registration's code towards the five per ten minutes, not the one a minute", async () => {
    const limiter = newLimiter();
    const userId = randomUUID();
    await takeEmailCodeQuota(limiter, userId, "registration");
    // A user whose first mail got lost asks again at once, and has three more codes in the ten
    // minutes (a minute apart: the minute is handed back here instead).
    await takeEmailCodeQuota(limiter, userId, "requested");
    for (let n = 0; n < 3; n += 1) {
      await limiter.refund("emailCodePerUserMinute", userId);
      await takeEmailCodeQuota(limiter, userId, "requested");
    }
    await limiter.refund("emailCodePerUserMinute", userId);
    await expect(takeEmailCodeQuota(limiter, userId, "requested")).rejects.toBeInstanceOf(RateLimitedError);
    // The refused request took nothing: its minute is still there.
    await limiter.consume("emailCodePerUserMinute", userId);
  });

  it("gives back what it took", async () => {
    const limiter = newLimiter();
    const userId = randomUUID();
    await takeEmailCodeQuota(limiter, userId, "requested");
    await giveBackEmailCodeQuota(limiter, userId, "requested");
    await takeEmailCodeQuota(limiter, userId, "requested");
  });
});

describe("mailRequestedCode", () => {
  const contextWith = (mail: MailProvider) => {
    const limiter = newLimiter();
    return { limiter, ctx: { auth: { limiter, mail } as unknown as AuthRuntime, log: pino({ level: "silent" }) } };
  };

  it("mails a fresh 6-digit code in the locale asked for and returns it", async () => {
    const sent: MailMessage[] = [];
    const { ctx } = contextWith({ name: "memory", send: (message) => (sent.push(message), Promise.resolve({})) });
    const code = await mailRequestedCode(ctx, {
      userId: randomUUID(),
      to: "ada@example.test",
      kind: "emailChangeCode",
      locale: "en",
    });
    expect(code).toMatch(/^\d{6}$/);
    expect(sent).toEqual([expect.objectContaining({ to: "ada@example.test", subject: expect.stringContaining(code) })]);
  });

  it("answers EMAIL_UNAVAILABLE and gives the quota back when the mail server fails", async () => {
    const refusing: MailProvider = {
      name: "refusing",
      send: () => Promise.reject(new MailDeliveryError("550 mailbox unavailable", { provider: "smtp", responseCode: 550 })),
    };
    const { ctx, limiter } = contextWith(refusing);
    const userId = randomUUID();
    const request = { userId, to: "ada@example.test", kind: "emailVerificationCode", locale: "ru" } as const;
    await expect(mailRequestedCode(ctx, request)).rejects.toBeInstanceOf(EmailUnavailableError);
    await takeEmailCodeQuota(limiter, userId, "requested");
  });
});
