import { z } from "zod";
import { changeMemberRole, listMembers, removeMember } from "./members.ts";
import { router, tenantMemberProcedure, restRoutes, tenantPermissionProcedure } from "@tenantry/api-core";
import { memberRoleSchema, memberSchema } from "./tenant.schemas.ts";

const rest = restRoutes("tenants");

export const membersRouter = router({
  list: tenantMemberProcedure
    .meta(
      rest({
        method: "GET",
        path: "/tenant/members",
        description: "Everyone in the tenant, with their role and when they joined. Any member may list them.",
        protect: true,
        summary: "Members and their roles",
      }),
    )
    .input(z.object({}).optional())
    .output(z.array(memberSchema))
    .query(({ ctx }) => listMembers(ctx)),

  changeRole: tenantPermissionProcedure("members.manage")
    .meta(
      rest({
        method: "PATCH",
        path: "/tenant/members/{userId}",
        errors: { 403: ["OWNER_ONLY"], 404: ["MEMBER_NOT_FOUND"], 409: ["LAST_OWNER"] },
        protect: true,
        summary: "Change a member's role",
        description: "Owners and admins; only owners touch owners. The last owner cannot be demoted.",
      }),
    )
    .input(z.object({ userId: z.uuid(), role: memberRoleSchema }))
    .output(z.object({ userId: z.uuid(), role: memberRoleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx, input)),

  remove: tenantPermissionProcedure("members.manage")
    .meta(
      rest({
        method: "DELETE",
        path: "/tenant/members/{userId}",
        description:
          "Removes a member; their access ends with their next request. Only owners can remove owners, and the last owner stays.",
        errors: { 403: ["OWNER_ONLY"], 404: ["MEMBER_NOT_FOUND"], 409: ["LAST_OWNER"] },
        protect: true,
        summary: "Remove a member",
      }),
    )
    .input(z.object({ userId: z.uuid() }))
    .output(z.object({ removed: z.literal(true) }))
    .mutation(({ ctx, input }) => removeMember(ctx, input.userId)),
});
