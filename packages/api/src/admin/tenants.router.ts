import { pageInput, pageOf, platformAdminProcedure, restRoutes, router, strictBoolean } from "@tenantry/api-core";
import { z } from "zod";
import { adminSetSubscription } from "../tenants/subscriptions.ts";
import { subscriptionSchema, subscriptionStatusSchema, tenantDeletionSchema } from "../tenants/tenant.schemas.ts";
import { deleteTenantAsAdmin, getTenantDetail, searchTenants } from "./platform-tenants.ts";
import { setTenantStatus } from "./tenant-status.ts";

const rest = restRoutes("admin");

const tenantReference = z.string().min(1).max(100).meta({ description: "Tenant id or slug." });
const tenantStatusInput = z.object({ tenant: tenantReference });
const tenantStatusSchema = z
  .object({ id: z.uuid(), slug: z.string(), status: z.enum(["active", "suspended"]) })
  .meta({ id: "TenantStatus" });
const tenantStatus = z.enum(["active", "suspended"]);

const adminTenantSummarySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    status: tenantStatus,
    createdAt: z.iso.datetime(),
    plan: z.object({ code: z.string(), status: z.string() }).nullable(),
    members: z.number().int(),
  })
  .meta({ id: "AdminTenantSummary" });

const adminTenantSchema = adminTenantSummarySchema
  .omit({ members: true, plan: true })
  .extend({
    members: z.array(
      z.object({
        userId: z.uuid(),
        role: z.string(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        displayName: z.string().nullable(),
        joinedAt: z.iso.datetime(),
      }),
    ),
    subscription: z
      .object({
        planCode: z.string(),
        planName: z.string(),
        status: z.string(),
        currentPeriodEnd: z.iso.datetime().nullable(),
        cancelAtPeriodEnd: z.boolean(),
      })
      .nullable(),
    modules: z.array(z.object({ moduleId: z.string(), enabled: z.boolean(), enabledAt: z.iso.datetime().nullable() })),
    domains: z.array(
      z.object({ domain: z.string(), verified: z.boolean(), isPrimary: z.boolean(), createdAt: z.iso.datetime() }),
    ),
    pendingInvitations: z.number().int(),
  })
  .meta({ id: "AdminTenant" });

/** Platform admins' tools for tenants: find, inspect, suspend, re-plan, delete. Every change is audited. */
export const adminTenantsRouter = router({
  search: platformAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/admin/tenants",
        protect: true,
        summary: "Find tenants",
        description:
          "Tenants whose slug, name, a domain or an owner's email contains `query` (case-insensitive), newest first, " +
          "cursor-paginated, with plan and member count. `status` narrows to active or suspended tenants.",
      }),
    )
    .input(
      z.object({
        ...pageInput,
        query: z.string().max(200).meta({ description: "Part of a slug, name, domain or owner's email." }).optional(),
        status: tenantStatus.optional(),
      }),
    )
    .output(pageOf(adminTenantSummarySchema))
    .query(({ ctx, input }) => searchTenants(ctx, input)),

  get: platformAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/admin/tenants/{tenant}",
        errors: { 404: ["TENANT_NOT_FOUND"] },
        protect: true,
        summary: "A tenant, with members, plan, modules and domains",
        description: "Works for suspended tenants too. Pending invitations are counted, not listed (their tokens stay secret).",
      }),
    )
    .input(tenantStatusInput)
    .output(adminTenantSchema)
    .query(({ ctx, input }) => getTenantDetail(ctx, input.tenant)),

  delete: platformAdminProcedure
    .meta(
      rest({
        method: "DELETE",
        path: "/admin/tenants/{tenant}",
        errors: { 400: ["CONFIRMATION_MISMATCH"], 404: ["TENANT_NOT_FOUND"] },
        protect: true,
        summary: "Delete a tenant",
        description:
          "As the owner's delete: the tenant and everything it owns (memberships, domains, invitations, module settings " +
          "and data) go in one transaction; its domains and storefront stop serving on every instance. `confirm` must " +
          "repeat the tenant's slug. Cannot be undone; the audit log keeps who deleted it, when and why.",
      }),
    )
    .input(
      tenantStatusInput.extend({
        confirm: z.string().max(100).meta({ description: "The tenant's slug, repeated." }),
        reason: z.string().trim().min(1).max(500).optional(),
      }),
    )
    .output(tenantDeletionSchema)
    .mutation(({ ctx, input }) => deleteTenantAsAdmin(ctx, ctx.actor, input)),

  suspend: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/tenants/{tenant}/suspend",
        errors: { 404: ["TENANT_NOT_FOUND"] },
        protect: true,
        summary: "Suspend a tenant",
        description:
          "Every procedure of the tenant (its storefront and domains too) then answers 403 TENANT_SUSPENDED. " +
          "Nothing is deleted; reactivating restores it. Logged with the admin's id and the reason.",
      }),
    )
    .input(tenantStatusInput.extend({ reason: z.string().trim().min(1).max(500).optional() }))
    .output(tenantStatusSchema)
    .mutation(({ ctx, input }) => setTenantStatus(ctx, ctx.actor, { ...input, status: "suspended" })),

  reactivate: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/tenants/{tenant}/reactivate",
        description:
          "Lifts a suspension: the tenant's procedures, storefront and domains serve again. Nothing was deleted while it was suspended.",
        errors: { 404: ["TENANT_NOT_FOUND"] },
        protect: true,
        summary: "Reactivate a suspended tenant",
      }),
    )
    .input(tenantStatusInput)
    .output(tenantStatusSchema)
    .mutation(({ ctx, input }) => setTenantStatus(ctx, ctx.actor, { ...input, status: "active" })),

  setSubscription: platformAdminProcedure
    .meta(
      rest({
        method: "PATCH",
        path: "/admin/tenants/{tenant}/subscription",
        errors: { 404: ["PLAN_NOT_FOUND", "TENANT_NOT_FOUND"] },
        protect: true,
        summary: "Set any tenant's plan and status",
        description: "Skips the fit check and billing. Every change is logged with the admin's id.",
      }),
    )
    .input(
      z.object({
        tenant: z.string().min(1).max(100).meta({ description: "Tenant id or slug." }),
        planCode: z.string().trim().min(1).max(50).optional(),
        status: subscriptionStatusSchema.optional(),
        currentPeriodEnd: z.iso.datetime().nullable().optional(),
        cancelAtPeriodEnd: strictBoolean().optional(),
      }),
    )
    .output(subscriptionSchema)
    .mutation(({ ctx, input }) => adminSetSubscription(ctx, ctx.actor, input)),
});
