import { z } from "zod";
import { acceptInvitation } from "./invitations.ts";
import { createTenant, deleteTenant, getTenant, listMyTenants, updateTenant } from "./tenants.ts";
import { leaveTenant } from "./members.ts";
import {
  authedProcedure,
  router,
  tenantMemberProcedure,
  tenantProcedure,
  restRoutes,
  tenantPermissionProcedure,
} from "@tenantry/api-core";
import { domainsRouter } from "./domains.router.ts";
import { invitationsRouter } from "./invitations.router.ts";
import { membersRouter } from "./members.router.ts";
import { subscriptionRouter } from "./subscription.router.ts";
import { slugSchema, tenantDeletionSchema, tenantNameSchema, tenantSummarySchema } from "./tenant.schemas.ts";

const rest = restRoutes("tenants");

/**
 * `/tenants` are the caller's tenants; `/tenant/...` is the tenant the request is for: its
 * domain, `<slug>.<platform domain>`, or the `X-Tenant` header (id or slug).
 */
export const tenantsRouter = router({
  create: authedProcedure
    .meta(
      rest({
        method: "POST",
        path: "/tenants",
        created: true,
        description:
          "Creates a tenant on the free plan with the caller as its owner. The slug names it in `X-Tenant` and in its `<slug>.<platform domain>` address.",
        errors: { 409: ["SLUG_TAKEN"] },
        protect: true,
        summary: "Create a tenant (you become its owner)",
      }),
    )
    .input(z.object({ slug: slugSchema, name: tenantNameSchema }))
    .output(tenantSummarySchema)
    .mutation(({ ctx, input }) => createTenant(ctx, ctx.actor, input)),

  list: authedProcedure
    .meta(
      rest({
        method: "GET",
        path: "/tenants",
        description: "Every tenant the caller is a member of, with their role in each. Needs no `X-Tenant`.",
        protect: true,
        summary: "Your tenants, with your role",
      }),
    )
    .input(z.object({}).optional())
    .output(z.array(tenantSummarySchema))
    .query(({ ctx }) => listMyTenants(ctx, ctx.actor)),

  public: tenantProcedure
    .meta(
      rest({
        method: "GET",
        path: "/tenant/public",
        description: "What anyone may see of the tenant the request is for (name, slug): for a storefront to show whose it is.",
        protect: false,
        summary: "The tenant this request is for, as anyone may see it",
      }),
    )
    .input(z.object({}).optional())
    .output(z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).meta({ id: "PublicTenant" }))
    .query(async ({ ctx }) => {
      const tenant = await ctx.tenantDb.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id } });
      return { id: tenant.id, slug: tenant.slug, name: tenant.name };
    }),

  get: tenantMemberProcedure
    .meta(
      rest({
        method: "GET",
        path: "/tenant",
        description: "The tenant `X-Tenant` (or the domain called) names, with the caller's role. Members only.",
        protect: true,
        summary: "The current tenant",
      }),
    )
    .input(z.object({}).optional())
    .output(tenantSummarySchema)
    .query(({ ctx }) => getTenant(ctx)),

  update: tenantPermissionProcedure("tenant.update")
    .meta(
      rest({
        method: "PATCH",
        path: "/tenant",
        description: "Renames the tenant or changes its slug (the old slug stops resolving at once). Owners and admins.",
        errors: { 409: ["SLUG_TAKEN"] },
        protect: true,
        summary: "Rename the tenant or change its slug",
      }),
    )
    .input(z.object({ name: tenantNameSchema.optional(), slug: slugSchema.optional() }))
    .output(tenantSummarySchema)
    .mutation(({ ctx, input }) => updateTenant(ctx, input)),

  delete: tenantPermissionProcedure("tenant.delete")
    .meta(
      rest({
        method: "DELETE",
        path: "/tenant",
        protect: true,
        summary: "Delete the tenant (owners)",
        description:
          "Deletes the tenant and everything it owns: memberships, domains, invitations, module settings and module data. Nothing is kept; this cannot be undone.",
      }),
    )
    .input(z.object({}).optional())
    .output(tenantDeletionSchema)
    .mutation(({ ctx }) => deleteTenant(ctx)),

  leave: tenantMemberProcedure
    .meta(
      rest({
        method: "POST",
        path: "/tenant/leave",
        description:
          "The caller stops being a member. The last owner cannot leave: make someone else an owner first, or delete the tenant.",
        errors: { 409: ["LAST_OWNER"] },
        protect: true,
        summary: "Leave the tenant",
      }),
    )
    .input(z.object({}).optional())
    .output(z.object({ left: z.literal(true) }))
    .mutation(({ ctx }) => leaveTenant(ctx)),

  members: membersRouter,
  invitations: invitationsRouter,
  domains: domainsRouter,
  subscription: subscriptionRouter,

  acceptInvitation: authedProcedure
    .meta(
      rest({
        method: "POST",
        path: "/invitations/accept",
        description:
          "Joins the tenant the invitation is for, with the role it names. Signed in as the invitee: an email invitation needs the address verified first. Needs no `X-Tenant` (the token names the tenant).",
        errors: {
          400: ["INVITATION_EXPIRED", "INVITATION_REVOKED", "INVITATION_USED"],
          403: ["EMAIL_NOT_VERIFIED", "INVITATION_NOT_FOR_YOU", "PLAN_LIMIT_REACHED"],
          404: ["INVITATION_NOT_FOUND"],
          409: ["ALREADY_MEMBER"],
        },
        protect: true,
        summary: "Accept an invitation with its token",
      }),
    )
    .input(z.object({ token: z.string().trim().min(10).max(100) }))
    .output(z.object({ tenantId: z.uuid(), slug: z.string(), name: z.string(), role: z.enum(["owner", "admin", "member"]) }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx, ctx.actor, input.token)),
});
