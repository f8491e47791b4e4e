import { z } from "zod";
import { addBlockedPhone, listBlockedPhones, removeBlockedPhone } from "./blocked-phones.ts";
import { platformAdminProcedure, router, restRoutes } from "@tenantry/api-core";
import { phoneSchema } from "../auth/auth.schemas.ts";
import { strictBoolean } from "@tenantry/api-core";
import { adminUsersRouter, platformOverviewProcedure } from "./users.router.ts";
import { adminContentRouter } from "../platform/content-admin.router.ts";
import { adminTenantsRouter } from "./tenants.router.ts";
import { listAllAuditEvents } from "../audit/audit-listing.ts";
import { auditEventPage, auditFilterInput } from "../audit/audit.schemas.ts";
import { queryBoolean } from "@tenantry/api-core";

const rest = restRoutes("admin");

const blockedPhoneSchema = z
  .object({
    id: z.uuid(),
    value: z.string(),
    isPrefix: z.boolean(),
    reason: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "BlockedPhone" });

/** A whole number, or the start of one: `+` and 1–14 digits. */
const phonePrefixSchema = z.string().regex(/^\+\d{1,14}$/, "must be + followed by 1 to 14 digits, e.g. +4490");

export const adminRouter = router({
  overview: platformOverviewProcedure,
  users: adminUsersRouter,
  content: adminContentRouter,
  auditEvents: platformAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/admin/audit-events",
        description:
          "Every audit event, newest first, cursor-paginated: every tenant's and the platform's own (refused sign-ins, " +
          "revoked sessions, blocked phones, admins' changes). Narrow to one tenant with `tenantId`, or to platform " +
          "events with `platformOnly`.",
        protect: true,
        summary: "All audit events",
      }),
    )
    .input(
      z.object({
        ...auditFilterInput,
        tenantId: z.uuid().meta({ description: "Only this tenant's events." }).optional(),
        platformOnly: queryBoolean().default(false).meta({ description: "Only events outside any tenant." }),
      }),
    )
    .output(auditEventPage)
    .query(({ ctx, input }) => listAllAuditEvents(ctx.db, { ...input, tenantId: input.platformOnly ? null : input.tenantId })),

  blockedPhones: router({
    list: platformAdminProcedure
      .meta(
        rest({
          method: "GET",
          path: "/admin/blocked-phones",
          description: "Numbers and prefixes that can receive no sign-in codes. Platform admins only.",
          protect: true,
          summary: "Blocked numbers and prefixes",
        }),
      )
      .input(
        z.object({
          limit: z.coerce.number<number>().int().min(1).max(100).default(50).meta({ description: "Entries per page, 1–100." }),
          cursor: z
            .string()
            .max(32)
            .meta({ description: "The `nextCursor` of the previous page; leave it out for the first." })
            .optional(),
        }),
      )
      .output(z.object({ items: z.array(blockedPhoneSchema), nextCursor: z.string().nullable() }))
      .query(({ ctx, input }) => listBlockedPhones(ctx.db, input)),

    add: platformAdminProcedure
      .meta(
        rest({
          method: "POST",
          path: "/admin/blocked-phones",
          created: true,
          description: "Blocks a full number (`+15550001234`) or a prefix (`+1555`): no code is sent to it from then on.",
          errors: { 400: ["ALREADY_BLOCKED"] },
          protect: true,
          summary: "Block a number or prefix",
        }),
      )
      // REST needs a flat object input, so the two shapes of `value` are checked here.
      .input(
        z
          .object({
            value: z.string().trim().max(32).meta({ example: "+4490" }),
            isPrefix: strictBoolean().default(false),
            reason: z.string().trim().max(200).optional(),
          })
          .superRefine((input, ctx) => {
            const check = (input.isPrefix ? phonePrefixSchema : phoneSchema).safeParse(input.value);
            if (!check.success) {
              ctx.addIssue({ code: "custom", path: ["value"], message: check.error.issues[0]?.message ?? "invalid" });
            }
          }),
      )
      .output(blockedPhoneSchema)
      .mutation(({ ctx, input }) =>
        addBlockedPhone(ctx, { ...input, value: input.isPrefix ? input.value : phoneSchema.parse(input.value) }, ctx.actor),
      ),

    remove: platformAdminProcedure
      .meta(
        rest({
          method: "DELETE",
          path: "/admin/blocked-phones/{id}",
          description: "Lifts a block; codes can be sent to the number again.",
          errors: { 404: ["BLOCKED_PHONE_NOT_FOUND"] },
          protect: true,
          summary: "Unblock",
        }),
      )
      .input(z.object({ id: z.uuid() }))
      .output(z.object({ removed: z.literal(true) }))
      .mutation(({ ctx, input }) => removeBlockedPhone(ctx, input.id, ctx.actor)),
  }),
  tenants: adminTenantsRouter,
});
