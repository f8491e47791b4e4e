import { z } from "zod";
import { normalizeCustomDomain } from "./domain-name.ts";
import { reservedSubdomains } from "@tenantry/api-core";

export const memberRoleSchema = z.enum(["owner", "admin", "member"]);

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "must be at least 3 characters")
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "may contain only letters, digits and inner dashes, e.g. acme-shop")
  .refine((slug) => !reservedSubdomains.has(slug), "is reserved by the platform; choose another")
  // X-Tenant takes an id or a slug: a slug shaped like an id could impersonate another tenant.
  .refine(
    (slug) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(slug),
    "must not look like a tenant id",
  )
  .meta({ example: "acme-shop" });

export const tenantNameSchema = z.string().trim().min(1).max(100).meta({ example: "Acme Shop" });

export const tenantSummarySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(["active", "suspended"]),
    createdAt: z.iso.datetime(),
    role: memberRoleSchema,
  })
  .meta({ id: "TenantSummary" });

export const memberSchema = z
  .object({
    userId: z.uuid(),
    role: memberRoleSchema,
    displayName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    joinedAt: z.iso.datetime(),
  })
  .meta({ id: "TenantMember" });

export const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    role: memberRoleSchema,
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Invitation" });

export const domainNameSchema = (platformDomain?: string) =>
  z.string().transform((raw, ctx) => {
    const result = normalizeCustomDomain(raw, platformDomain);
    if (result.ok) return result.domain;
    ctx.addIssue({ code: "custom", message: result.message });
    return z.NEVER;
  });

export const domainSchema = z
  .object({
    id: z.uuid(),
    domain: z.string(),
    verified: z.boolean(),
    verifiedAt: z.iso.datetime().nullable(),
    isPrimary: z.boolean(),
    verification: z.object({ type: z.literal("TXT"), name: z.string(), value: z.string() }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "TenantDomain" });

export const planSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    priceMinor: z.number().int(),
    currency: z.string(),
    limits: z
      .object({
        maxMembers: z.number().int().meta({ description: "Members, pending invitations included." }),
        modules: z.array(z.string()).meta({ description: "Ids of the modules the plan includes." }),
      })
      .catchall(z.unknown())
      .meta({ description: "The plan's limits; a newer server may add more, which older clients can ignore." }),
  })
  .meta({ id: "Plan" });

export const subscriptionStatusSchema = z.enum(["trialing", "active", "past_due", "canceled"]);

export const subscriptionSchema = z
  .object({
    plan: planSchema,
    status: subscriptionStatusSchema,
    currentPeriodEnd: z.iso.datetime().nullable(),
    cancelAtPeriodEnd: z.boolean(),
  })
  .meta({ id: "Subscription" });

/** What deleting a tenant removed with it (the owner's delete and the platform admin's). */
export const tenantDeletionSchema = z
  .object({
    deleted: z.literal(true),
    removed: z.object({
      members: z.number().int(),
      domains: z.number().int(),
      invitations: z.number().int(),
      modules: z.number().int(),
    }),
  })
  .meta({ id: "TenantDeletion" });
