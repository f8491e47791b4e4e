import { checkPasswordPolicy, normalizePhone, passwordPolicy } from "@tenantry/auth";
import { z } from "zod";

/** Any common way of writing an international number; handed on as E.164. */
export const phoneSchema = z
  .string()
  .max(32)
  .transform((raw, ctx) => {
    const result = normalizePhone(raw);
    if (result.ok) return result.e164;
    ctx.addIssue({ code: "custom", message: result.message });
    return z.NEVER;
  })
  .meta({ description: "Phone number in international format.", example: "+41791234567" });

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("must be an email address such as ada@example.com").max(254))
  .meta({ example: "ada@example.com" });

/** A new password: length and the common-password list, with the rule named in the message. */
export const newPasswordSchema = z
  .string()
  .superRefine((password, ctx) => {
    const verdict = checkPasswordPolicy(password);
    if (!verdict.ok) ctx.addIssue({ code: "custom", message: verdict.message });
  })
  .meta({ description: `${passwordPolicy.minLength}–${passwordPolicy.maxLength} characters, not a common password.` });

/** A password being checked, not set: only bounded, so old passwords keep working. */
export const passwordSchema = z
  .string()
  .min(1)
  .max(passwordPolicy.maxLength * 4);

export const codeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "must be the 6-digit code that was sent (by SMS or email)")
  .meta({ example: "123456" });

export const codeSentSchema = z
  .object({
    sent: z.literal(true),
    expiresInSeconds: z.number().int(),
  })
  .meta({ id: "CodeSent" });

export const userProfileSchema = z
  .object({
    id: z.uuid(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    emailVerified: z.boolean().meta({ description: "The account proved it reads `email` (POST /account/email/verification)." }),
    displayName: z.string().nullable(),
    locale: z.string().nullable().meta({
      description: "Language of the account's mail and SMS (`en`, `ru`); null: the request's Accept-Language.",
      example: "ru",
    }),
    platformRole: z.enum(["user", "admin"]),
    hasPassword: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "UserProfile" });

export const tokensSchema = z
  .object({
    accessToken: z.string().meta({ description: "JWT for `Authorization: Bearer`, valid 15 minutes." }),
    accessTokenExpiresAt: z.iso.datetime(),
    refreshToken: z.string().meta({ description: "Opaque and single-use: exchange it at /auth/refresh." }),
    refreshTokenExpiresAt: z.iso.datetime(),
    sessionId: z.uuid(),
  })
  .meta({ id: "Tokens" });

export const signedInSchema = tokensSchema.extend({ user: userProfileSchema, isNewUser: z.boolean() }).meta({ id: "SignedIn" });

/** A live session as its owner sees it (`current`: the one the request came with). */
export const sessionSchema = z
  .object({
    id: z.uuid(),
    current: z.boolean(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    userAgent: z.string().nullable(),
    ipAddress: z.string().nullable(),
  })
  .meta({ id: "Session" });
