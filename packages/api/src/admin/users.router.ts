import { pageInput, pageOf, platformAdminProcedure, queryBoolean, restRoutes, router } from "@tenantry/api-core";
import { z } from "zod";
import { sessionSchema } from "../auth/auth.schemas.ts";
import {
  blockUser,
  getUser,
  platformOverview,
  searchUsers,
  setPlatformRole,
  signOutUser,
  unblockUser,
} from "./platform-users.ts";

const rest = restRoutes("admin");

const adminUserSummarySchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable(),
    emailVerified: z.boolean(),
    phone: z.string().nullable(),
    displayName: z.string().nullable(),
    platformRole: z.enum(["user", "admin"]),
    hasPassword: z.boolean(),
    blockedAt: z.iso.datetime().nullable().meta({ description: "Set while the account is blocked." }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AdminUserSummary" });

const adminUserSchema = adminUserSummarySchema
  .extend({
    blockedReason: z.string().nullable(),
    memberships: z.array(
      z.object({
        tenantId: z.uuid(),
        slug: z.string(),
        name: z.string(),
        status: z.enum(["active", "suspended"]),
        role: z.string(),
      }),
    ),
    // A session as its owner sees it, without `current` (no session of the admin's).
    sessions: z.array(sessionSchema.omit({ current: true }).meta({ id: "AdminUserSession" })),
  })
  .meta({ id: "AdminUser" });

const userIdInput = z.object({ userId: z.uuid() });

/** Platform admins' tools for accounts. Every change is in the audit log. */
export const adminUsersRouter = router({
  search: platformAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/admin/users",
        protect: true,
        summary: "Find users",
        description:
          "Accounts whose email, phone or display name contains `query` (case-insensitive), newest first, cursor-paginated. " +
          "`blocked` narrows to blocked (true) or unblocked (false) accounts.",
      }),
    )
    .input(
      z.object({
        ...pageInput,
        query: z.string().max(200).meta({ description: "Part of an email, phone number or name." }).optional(),
        blocked: queryBoolean().optional(),
      }),
    )
    .output(pageOf(adminUserSummarySchema))
    .query(({ ctx, input }) => searchUsers(ctx, input)),

  get: platformAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/admin/users/{userId}",
        errors: { 404: ["USER_NOT_FOUND"] },
        protect: true,
        summary: "A user, with memberships and live sessions",
        description:
          "Sign-in methods (`hasPassword`, `phone`, `emailVerified`), block state, every tenant membership and every live session.",
      }),
    )
    .input(userIdInput)
    .output(adminUserSchema)
    .query(({ ctx, input }) => getUser(ctx, input.userId)),

  block: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/users/{userId}/block",
        errors: { 404: ["USER_NOT_FOUND"], 409: ["CANNOT_BLOCK_SELF"] },
        protect: true,
        summary: "Block a user",
        description:
          "The account can no longer sign in (403 ACCOUNT_BLOCKED, told only to whoever has its password or code), and " +
          "every session ends at once. Blocking a blocked account changes nothing.",
      }),
    )
    .input(userIdInput.extend({ reason: z.string().trim().max(500).optional() }))
    .output(adminUserSchema)
    .mutation(({ ctx, input }) => blockUser(ctx, ctx.actor, input.userId, input.reason)),

  unblock: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/users/{userId}/unblock",
        errors: { 404: ["USER_NOT_FOUND"] },
        protect: true,
        summary: "Unblock a user",
        description: "The account can sign in again (its old sessions stay ended).",
      }),
    )
    .input(userIdInput)
    .output(adminUserSchema)
    .mutation(({ ctx, input }) => unblockUser(ctx, ctx.actor, input.userId)),

  signOutEverywhere: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/users/{userId}/sign-out-everywhere",
        errors: { 404: ["USER_NOT_FOUND"] },
        protect: true,
        summary: "End every session of a user",
        description: "For a leaked token or a lost device: every session ends now; the account may sign in again.",
      }),
    )
    .input(userIdInput)
    .output(z.object({ revokedSessions: z.number().int().min(0) }))
    .mutation(({ ctx, input }) => signOutUser(ctx, ctx.actor, input.userId)),

  setPlatformRole: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/users/{userId}/platform-role",
        errors: { 404: ["USER_NOT_FOUND"], 409: ["LAST_PLATFORM_ADMIN"] },
        protect: true,
        summary: "Grant or withdraw platform admin",
        description: "`admin` grants, `user` withdraws (yourself included), except from the last admin.",
      }),
    )
    .input(userIdInput.extend({ role: z.enum(["user", "admin"]) }))
    .output(adminUserSchema)
    .mutation(({ ctx, input }) => setPlatformRole(ctx, ctx.actor, input.userId, input.role)),
});

export const platformOverviewProcedure = platformAdminProcedure
  .meta(
    rest({
      method: "GET",
      path: "/admin/overview",
      protect: true,
      summary: "The platform at a glance",
      description:
        "Users (blocked, admins), tenants by status and by plan, tenants per enabled module, sign-ins in the last 24 hours.",
    }),
  )
  .input(z.object({}).optional())
  .output(
    z
      .object({
        users: z.number().int(),
        blockedUsers: z.number().int(),
        platformAdmins: z.number().int(),
        tenantsByStatus: z.record(z.string(), z.number().int()),
        tenantsByPlan: z.record(z.string(), z.number().int()),
        modulesEnabled: z.record(z.string(), z.number().int()),
        signInsLastDay: z.number().int(),
      })
      .meta({ id: "PlatformOverview" }),
  )
  .query(({ ctx }) => platformOverview(ctx));
