import { z } from "zod";
import { deleteAccount, requestDeletionCode } from "./account-deletion.ts";
import { changePassword } from "./password-change.ts";
import { confirmEmailChange, requestEmailChangeCode } from "./email-change.ts";
import { confirmEmailVerification, requestEmailVerification } from "./email-verification.ts";
import { confirmPhoneChange, requestPhoneChangeCode } from "./phone-change.ts";
import { getProfile, updateProfile } from "./user-profile.ts";
import { listSessions } from "../auth/sessions.ts";
import { messageLocales } from "../messages/message-locale.ts";
import { authedProcedure, router, restRoutes } from "@tenantry/api-core";
import {
  codeSchema,
  codeSentSchema,
  emailSchema,
  newPasswordSchema,
  passwordSchema,
  phoneSchema,
  sessionSchema,
  userProfileSchema,
} from "../auth/auth.schemas.ts";

const rest = restRoutes("account");

export const accountRouter = router({
  me: authedProcedure
    .meta(
      rest({
        method: "GET",
        path: "/account",
        description: "The caller's profile: names, email (and whether it is verified), phone, message language, platform role.",
        errors: { 404: ["USER_NOT_FOUND"] },
        protect: true,
        summary: "The signed-in account",
      }),
    )
    .input(z.object({}).optional())
    .output(userProfileSchema)
    .query(({ ctx }) => getProfile(ctx, ctx.actor.userId)),

  updateProfile: authedProcedure
    .meta(
      rest({
        method: "PATCH",
        path: "/account",
        description:
          "Changes the display name and the language of the account's mail and SMS (`locale`: `en` or `ru`; null " +
          "clears it, and messages follow the request's Accept-Language). Email and phone have their own operations, " +
          "which prove the new address first.",
        protect: true,
        summary: "Update the profile",
      }),
    )
    .input(
      z.object({
        displayName: z.string().trim().min(1).max(100).nullable().optional(),
        locale: z
          .enum(messageLocales, { error: `must be one of ${messageLocales.join(", ")}, or null to clear it` })
          .nullable()
          .optional(),
      }),
    )
    .output(userProfileSchema)
    .mutation(({ ctx, input }) => updateProfile(ctx, ctx.actor.userId, input)),

  changePassword: authedProcedure
    .meta(
      rest({
        method: "POST",
        path: "/account/password",
        errors: { 401: ["CURRENT_PASSWORD_WRONG"], 429: ["RATE_LIMITED"] },
        protect: true,
        summary: "Change (or set) the password",
        description: "Needs the current password if there is one. Signs out every other session.",
      }),
    )
    .input(z.object({ currentPassword: passwordSchema.optional(), newPassword: newPasswordSchema }))
    .output(z.object({ revokedSessions: z.number().int() }))
    .mutation(({ ctx, input }) => changePassword(ctx, ctx.actor, input)),

  phone: router({
    requestChangeCode: authedProcedure
      .meta(
        rest({
          method: "POST",
          path: "/account/phone/request-code",
          description:
            "Sends a code by SMS to the new number; `POST /account/phone` with that code makes the change. Rate limited like sign-in codes.",
          errors: { 403: ["PHONE_BLOCKED"], 429: ["RATE_LIMITED"], 503: ["SMS_UNAVAILABLE"] },
          protect: true,
          summary: "Send a code to a new phone number",
        }),
      )
      .input(z.object({ phone: phoneSchema }))
      .output(codeSentSchema)
      .mutation(({ ctx, input }) => requestPhoneChangeCode(ctx, ctx.actor, input.phone)),

    confirmChange: authedProcedure
      .meta(
        rest({
          method: "POST",
          path: "/account/phone",
          description: "Replaces the account's phone number once the code sent to the new number comes back.",
          errors: { 400: ["CODE_INVALID"], 409: ["PHONE_TAKEN"], 429: ["RATE_LIMITED"] },
          protect: true,
          summary: "Change the phone number with its code",
        }),
      )
      .input(z.object({ phone: phoneSchema, code: codeSchema }))
      .output(userProfileSchema)
      .mutation(({ ctx, input }) => confirmPhoneChange(ctx, ctx.actor, input)),
  }),

  email: router({
    requestChangeCode: authedProcedure
      .meta(
        rest({
          method: "POST",
          path: "/account/email/request-code",
          description:
            "Mails a code to the new address (or to the first one, for an account made by phone); `POST /account/email` " +
            "with that code makes the change. Counted with the verification codes: one a minute, five per ten minutes. " +
            "503 EMAIL_UNAVAILABLE when the mail server fails; try again.",
          errors: { 409: ["EMAIL_TAKEN", "EMAIL_UNCHANGED"], 429: ["RATE_LIMITED"], 503: ["EMAIL_UNAVAILABLE"] },
          protect: true,
          summary: "Mail a code to a new email address",
        }),
      )
      .input(z.object({ email: emailSchema }))
      .output(codeSentSchema)
      .mutation(({ ctx, input }) => requestEmailChangeCode(ctx, ctx.actor, input.email)),

    confirmChange: authedProcedure
      .meta(
        rest({
          method: "POST",
          path: "/account/email",
          description:
            "Replaces the account's email address, verified, once the code mailed to the new address comes back. " +
            "The old address no longer signs in; the password stays the same.",
          errors: { 400: ["CODE_INVALID"], 409: ["EMAIL_TAKEN"], 429: ["RATE_LIMITED"] },
          protect: true,
          summary: "Change the email address with its code",
        }),
      )
      .input(z.object({ email: emailSchema, code: codeSchema }))
      .output(userProfileSchema)
      .mutation(({ ctx, input }) => confirmEmailChange(ctx, ctx.actor, input)),

    requestVerificationCode: authedProcedure
      .meta(
        rest({
          method: "POST",
          path: "/account/email/verification/request-code",
          errors: { 400: ["NO_EMAIL"], 409: ["EMAIL_ALREADY_VERIFIED"], 429: ["RATE_LIMITED"], 503: ["EMAIL_UNAVAILABLE"] },
          protect: true,
          summary: "Mail a code that proves this account reads its email address",
          description: "One a minute, five per ten minutes. 503 EMAIL_UNAVAILABLE when the mail server fails; try again.",
        }),
      )
      .input(z.object({}).optional())
      .output(codeSentSchema)
      .mutation(({ ctx }) => requestEmailVerification(ctx, ctx.actor)),

    verify: authedProcedure
      .meta(
        rest({
          method: "POST",
          path: "/account/email/verification",
          description:
            "Marks the account's email address verified when the mailed code comes back; a verified address can accept email invitations.",
          errors: { 400: ["CODE_INVALID", "NO_EMAIL"], 409: ["EMAIL_ALREADY_VERIFIED", "EMAIL_CHANGED"], 429: ["RATE_LIMITED"] },
          protect: true,
          summary: "Verify the email address with its code",
        }),
      )
      .input(z.object({ code: codeSchema }))
      .output(userProfileSchema)
      .mutation(({ ctx, input }) => confirmEmailVerification(ctx, ctx.actor, input.code)),
  }),

  sessions: router({
    list: authedProcedure
      .meta(
        rest({
          method: "GET",
          path: "/account/sessions",
          description: "The account's live sessions (devices), newest first, with the one making this call marked.",
          protect: true,
          summary: "Signed-in devices",
        }),
      )
      .input(z.object({}).optional())
      .output(z.array(sessionSchema))
      .query(({ ctx }) => listSessions(ctx, ctx.actor)),
  }),

  deletion: router({
    requestCode: authedProcedure
      .meta(
        rest({
          method: "POST",
          path: "/account/deletion/request-code",
          description: "For accounts with a phone number: sends the code that confirms `POST /account/deletion`.",
          errors: { 400: ["NO_PHONE"], 403: ["PHONE_BLOCKED"], 429: ["RATE_LIMITED"], 503: ["SMS_UNAVAILABLE"] },
          protect: true,
          summary: "Send an account-deletion code to the account's phone",
        }),
      )
      .input(z.object({}).optional())
      .output(codeSentSchema)
      .mutation(({ ctx }) => requestDeletionCode(ctx, ctx.actor)),

    confirm: authedProcedure
      .meta(
        rest({
          method: "POST",
          path: "/account/deletion",
          errors: {
            400: ["CODE_INVALID", "CONFIRMATION_REQUIRED"],
            401: ["CONFIRMATION_FAILED"],
            409: ["SOLE_TENANT_OWNER"],
            429: ["RATE_LIMITED"],
          },
          protect: true,
          summary: "Delete the account",
          description:
            "Needs the password or a deletion code. Refused while you are the only owner of a tenant. " +
            "Removes your personal data and signs out every session; a record of the deletion with hashed identifiers stays.",
        }),
      )
      .input(
        z.object({
          password: passwordSchema.optional(),
          code: codeSchema.optional(),
          reason: z.string().trim().max(500).optional(),
        }),
      )
      .output(z.object({ deleted: z.literal(true) }))
      .mutation(({ ctx, input }) => deleteAccount(ctx, ctx.actor, input)),
  }),
});
