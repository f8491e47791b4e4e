import { registerWithEmail, signInWithEmail } from "./email-auth.ts";
import { requestPasswordReset, resetPassword } from "./password-reset.ts";
import { requestSignInCode, verifySignInCode } from "./phone-sign-in.ts";
import { refreshSession, revokeSessions } from "./sessions.ts";
import { authedProcedure, publicProcedure, router, restRoutes } from "@tenantry/api-core";
import { z } from "zod";
import {
  codeSchema,
  codeSentSchema,
  emailSchema,
  newPasswordSchema,
  passwordSchema,
  phoneSchema,
  signedInSchema,
  tokensSchema,
} from "./auth.schemas.ts";

const rest = restRoutes("auth");

export const authRouter = router({
  phone: router({
    requestCode: publicProcedure
      .meta(
        rest({
          method: "POST",
          path: "/auth/phone/request-code",
          errors: { 403: ["PHONE_BLOCKED"], 429: ["RATE_LIMITED"], 503: ["SMS_UNAVAILABLE"] },
          protect: false,
          summary: "Send a sign-in code by SMS",
          description:
            "Sends a 6-digit code valid for 5 minutes. The answer is the same whether or not an account exists. " +
            "One code per number per minute, five per ten minutes.",
        }),
      )
      .input(z.object({ phone: phoneSchema }))
      .output(codeSentSchema)
      .mutation(({ ctx, input }) => requestSignInCode(ctx, input.phone)),

    verifyCode: publicProcedure
      .meta(
        rest({
          method: "POST",
          path: "/auth/phone/verify-code",
          errors: { 400: ["CODE_INVALID"], 403: ["ACCOUNT_BLOCKED", "PHONE_BLOCKED"], 429: ["RATE_LIMITED"] },
          protect: false,
          summary: "Sign in with an SMS code",
          description: "A correct code signs in, creating the account on first use. Three wrong guesses void the code.",
        }),
      )
      .input(z.object({ phone: phoneSchema, code: codeSchema }))
      .output(signedInSchema)
      .mutation(({ ctx, input }) => verifySignInCode(ctx, input)),
  }),

  email: router({
    register: publicProcedure
      .meta(
        rest({
          method: "POST",
          path: "/auth/email/register",
          created: true,
          description:
            "Creates an account, signed in at once (the answer carries an access and a refresh token), and mails a " +
            "verification code to the address just after answering. The address is unverified until " +
            "`POST /account/email/verification` takes that code; if it does not arrive, `…/verification/request-code` " +
            "mails another at once. Rate limited per IP.",
          errors: { 409: ["EMAIL_TAKEN"], 429: ["RATE_LIMITED"] },
          protect: false,
          summary: "Create an account with email and password",
        }),
      )
      .input(
        z.object({
          email: emailSchema,
          password: newPasswordSchema,
          displayName: z.string().trim().min(1).max(100).optional(),
        }),
      )
      .output(signedInSchema)
      .mutation(({ ctx, input }) => registerWithEmail(ctx, input)),

    signIn: publicProcedure
      .meta(
        rest({
          method: "POST",
          path: "/auth/email/sign-in",
          errors: { 401: ["INVALID_CREDENTIALS"], 403: ["ACCOUNT_BLOCKED"], 429: ["RATE_LIMITED"] },
          protect: false,
          summary: "Sign in with email and password",
          description: "Wrong email and wrong password give the same answer.",
        }),
      )
      .input(z.object({ email: emailSchema, password: passwordSchema }))
      .output(signedInSchema)
      .mutation(({ ctx, input }) => signInWithEmail(ctx, input)),
  }),

  passwordReset: router({
    requestCode: publicProcedure
      .meta(
        rest({
          method: "POST",
          path: "/auth/password-reset/request-code",
          errors: { 429: ["RATE_LIMITED"] },
          protect: false,
          summary: "Mail a password reset code",
          description:
            "Mails a 6-digit code valid for 5 minutes when an account has this address, verified. The answer is the same " +
            "whether or not one does (an unverified address gets nothing: anyone can register any address). One code per " +
            "address per minute, five per ten minutes.",
        }),
      )
      .input(z.object({ email: emailSchema }))
      .output(codeSentSchema)
      .mutation(({ ctx, input }) => requestPasswordReset(ctx, input.email)),

    reset: publicProcedure
      .meta(
        rest({
          method: "POST",
          path: "/auth/password-reset",
          errors: { 400: ["CODE_INVALID"], 429: ["RATE_LIMITED"] },
          protect: false,
          summary: "Set a new password with the mailed code",
          description:
            "Sets the new password and signs out every session of the account. Three wrong guesses void the code. " +
            "Sign in with the new password afterwards.",
        }),
      )
      .input(z.object({ email: emailSchema, code: codeSchema, newPassword: newPasswordSchema }))
      .output(z.object({ reset: z.literal(true), revokedSessions: z.number().int().min(0) }))
      .mutation(({ ctx, input }) => resetPassword(ctx, input)),
  }),

  refresh: publicProcedure
    .meta(
      rest({
        method: "POST",
        path: "/auth/refresh",
        errors: { 401: ["REFRESH_TOKEN_INVALID", "REFRESH_TOKEN_REUSED"], 429: ["RATE_LIMITED"] },
        protect: false,
        summary: "Exchange a refresh token for a new pair",
        description: "Refresh tokens are single use. Reusing one after the 10-second grace window signs the whole session out.",
      }),
    )
    .input(z.object({ refreshToken: z.string().min(1).max(200) }))
    .output(tokensSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.auth.limiter.consume("refreshPerIp", ctx.ip);
      return refreshSession(ctx, input.refreshToken);
    }),

  signOut: authedProcedure
    .meta(
      rest({
        method: "POST",
        path: "/auth/sign-out",
        description:
          "Ends the session the access token belongs to: its refresh token stops working at once, and so does the access token on its next use.",
        protect: true,
        summary: "Sign out this session",
      }),
    )
    .input(z.object({}).optional())
    .output(z.object({ signedOut: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await revokeSessions(ctx.db, { id: ctx.actor.sessionId }, "sign_out", ctx.auth.now(), {
        origin: ctx,
        by: ctx.actor.userId,
      });
      return { signedOut: true as const };
    }),

  signOutEverywhere: authedProcedure
    .meta(
      rest({
        method: "POST",
        path: "/auth/sign-out-everywhere",
        description: "Ends every session of the account, this one included (a lost device, a leaked token).",
        protect: true,
        summary: "Sign out every session",
      }),
    )
    .input(z.object({}).optional())
    .output(z.object({ revokedSessions: z.number().int() }))
    .mutation(async ({ ctx }) => ({
      revokedSessions: await revokeSessions(ctx.db, { userId: ctx.actor.userId }, "sign_out_everywhere", ctx.auth.now(), {
        origin: ctx,
        by: ctx.actor.userId,
      }),
    })),
});
