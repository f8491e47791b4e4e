import { z } from "zod";
import { createInvitation, listPendingInvitations, revokeInvitation } from "./invitations.ts";
import { router, restRoutes, tenantPermissionProcedure } from "@tenantry/api-core";
import { emailSchema, phoneSchema } from "../auth/auth.schemas.ts";
import { invitationSchema, memberRoleSchema } from "./tenant.schemas.ts";

const rest = restRoutes("tenants");

export const invitationsRouter = router({
  create: tenantPermissionProcedure("invitations.manage")
    .meta(
      rest({
        method: "POST",
        path: "/tenant/invitations",
        created: true,
        errors: {
          403: ["OWNER_ONLY", "PLAN_LIMIT_REACHED"],
          409: ["ALREADY_MEMBER", "INVITATION_PENDING"],
          503: ["EMAIL_UNAVAILABLE", "SMS_UNAVAILABLE"],
        },
        protect: true,
        summary: "Invite someone by email or phone",
        description:
          "Sends the invitation, with the tenant's name and the token, by email or SMS, and returns the token once as well " +
          "(to pass on by hand). Valid 48 hours, single use. Counts against the plan's member limit.",
      }),
    )
    .input(
      z
        .object({ email: emailSchema.optional(), phone: phoneSchema.optional(), role: memberRoleSchema.default("member") })
        .refine((i) => (i.email === undefined) !== (i.phone === undefined), {
          message: "give exactly one of email and phone",
          path: ["email"],
        }),
    )
    .output(z.object({ invitation: invitationSchema, token: z.string() }))
    .mutation(({ ctx, input }) => createInvitation(ctx, input)),

  list: tenantPermissionProcedure("invitations.manage")
    .meta(
      rest({
        method: "GET",
        path: "/tenant/invitations",
        description: "Invitations sent and not yet accepted, revoked or expired. Owners and admins.",
        protect: true,
        summary: "Pending invitations",
      }),
    )
    .input(z.object({}).optional())
    .output(z.array(invitationSchema))
    .query(({ ctx }) => listPendingInvitations(ctx)),

  revoke: tenantPermissionProcedure("invitations.manage")
    .meta(
      rest({
        method: "DELETE",
        path: "/tenant/invitations/{invitationId}",
        description: "Revokes a pending invitation: its token stops working and its seat is freed.",
        errors: { 403: ["OWNER_ONLY"], 404: ["INVITATION_NOT_FOUND"] },
        protect: true,
        summary: "Revoke a pending invitation",
      }),
    )
    .input(z.object({ invitationId: z.uuid() }))
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx, input.invitationId)),
});
