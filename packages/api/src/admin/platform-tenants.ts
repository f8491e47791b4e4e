import {
  BadInputError,
  cursorPage,
  decodeCursor,
  lockTenant,
  TenantNotFoundError,
  type Actor,
  type Context,
  type CursorPage,
} from "@tenantry/api-core";
import { findTenantByReference, withTenantScope } from "@tenantry/db";
import { auditAdminChange } from "../audit/audit-trail.ts";
import { deleteTenantRows, type TenantDeletion } from "../tenants/tenants.ts";

/**
 * Platform admins' tools for tenants. Tenants are under row-level security, so the search runs
 * in a database function that returns summaries only, and one tenant is read (or deleted) inside
 * its own scope, as its members would see it.
 */
type AdminContext = Pick<Context, "db" | "tenancy" | "ip" | "userAgent" | "log">;

export interface AdminTenantSummary {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  createdAt: string;
  plan: { code: string; status: string } | null;
  members: number;
}

type SearchRow = {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  created_at: Date;
  plan_code: string | null;
  subscription_status: string | null;
  members: bigint;
};

/** By part of the slug, the name, a domain or an owner's email; newest first, cursor-paginated. */
export async function searchTenants(
  ctx: Pick<Context, "db">,
  input: { query?: string | undefined; status?: "active" | "suspended" | undefined; cursor?: string | undefined; limit: number },
): Promise<CursorPage<AdminTenantSummary>> {
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const text = input.query?.trim() || null;
  const rows = await ctx.db.$queryRaw<SearchRow[]>`
    select id::text as id, slug, name, status, created_at, plan_code, subscription_status, members
    from platform_tenant_search(${text}, ${input.status ?? null}, ${after?.createdAt ?? null}::timestamptz,
                                ${after?.id ?? null}::uuid, ${input.limit + 1}::int)`;
  return cursorPage(
    rows.map((row) => ({ ...row, createdAt: row.created_at })),
    input.limit,
    (row): AdminTenantSummary => ({
      id: row.id,
      slug: row.slug,
      name: row.name,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      plan: row.plan_code ? { code: row.plan_code, status: row.subscription_status ?? "active" } : null,
      members: Number(row.members),
    }),
  );
}

export interface AdminTenantDetail extends Omit<AdminTenantSummary, "members" | "plan"> {
  members: Array<{
    userId: string;
    role: string;
    email: string | null;
    phone: string | null;
    displayName: string | null;
    joinedAt: string;
  }>;
  subscription: {
    planCode: string;
    planName: string;
    status: string;
    currentPeriodEnd: string | null;
    cancelAtPeriodEnd: boolean;
  } | null;
  modules: Array<{ moduleId: string; enabled: boolean; enabledAt: string | null }>;
  domains: Array<{ domain: string; verified: boolean; isPrimary: boolean; createdAt: string }>;
  pendingInvitations: number;
}

async function resolveTenant(ctx: Pick<Context, "db">, reference: string) {
  const found = await findTenantByReference(ctx.db, reference);
  if (!found) throw new TenantNotFoundError(reference);
  return found;
}

/** One tenant with its members, plan, modules and domains. */
export async function getTenantDetail(ctx: Pick<Context, "db" | "auth">, reference: string): Promise<AdminTenantDetail> {
  const found = await resolveTenant(ctx, reference);
  return withTenantScope(ctx.db, { tenantId: found.id }, async (tx) => {
    const tenant = await tx.tenant.findUnique({
      where: { id: found.id },
      include: {
        members: { include: { user: true }, orderBy: { createdAt: "asc" } },
        subscription: { include: { plan: true } },
        moduleSettings: { orderBy: { moduleId: "asc" } },
        domains: { orderBy: { domain: "asc" } },
      },
    });
    // Deleted between the lookup and this read.
    if (!tenant) throw new TenantNotFoundError(reference);
    const pendingInvitations = await tx.invitation.count({
      where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: ctx.auth.now() } },
    });
    const subscription = tenant.subscription;
    return {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      createdAt: tenant.createdAt.toISOString(),
      members: tenant.members.map((m) => ({
        userId: m.userId,
        role: m.role,
        email: m.user.email,
        phone: m.user.phone,
        displayName: m.user.displayName,
        joinedAt: m.createdAt.toISOString(),
      })),
      subscription: subscription
        ? {
            planCode: subscription.plan.code,
            planName: subscription.plan.name,
            status: subscription.status,
            currentPeriodEnd: subscription.currentPeriodEnd?.toISOString() ?? null,
            cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
          }
        : null,
      modules: tenant.moduleSettings.map((m) => ({
        moduleId: m.moduleId,
        enabled: m.enabled,
        enabledAt: m.enabledAt?.toISOString() ?? null,
      })),
      domains: tenant.domains.map((d) => ({
        domain: d.domain,
        verified: d.verifiedAt !== null,
        isPrimary: d.isPrimary,
        createdAt: d.createdAt.toISOString(),
      })),
      pendingInvitations,
    };
  });
}

/**
 * Deletes a tenant as its owner's delete does (everything it owns goes with it, in one
 * transaction; the caches forget it after the commit, on every instance), audited as the admin's.
 * `confirm` must repeat the tenant's slug: an id pasted into the wrong field deletes nothing.
 */
export async function deleteTenantAsAdmin(
  ctx: AdminContext,
  admin: Actor,
  input: { tenant: string; confirm: string; reason?: string | undefined },
): Promise<TenantDeletion> {
  const found = await resolveTenant(ctx, input.tenant);
  if (input.confirm !== found.slug) {
    throw new BadInputError("CONFIRMATION_MISMATCH", `confirm: must repeat the tenant's slug ("${found.slug}") to delete it.`);
  }
  const { removed, domains } = await withTenantScope(ctx.db, { tenantId: found.id }, async (tx) => {
    // Waits for a decision in flight (an invitation accepted, a plan change) to finish first.
    await lockTenant(tx, found.id);
    const deleted = await deleteTenantRows(tx, found.id);
    await auditAdminChange(tx, ctx, admin, found.id, {
      action: "tenant.deleted",
      targetType: "tenant",
      targetId: found.id,
      details: { slug: found.slug, removed: deleted.removed, ...(input.reason ? { reason: input.reason.slice(0, 500) } : {}) },
    });
    return deleted;
  });
  ctx.tenancy.resolver.invalidateTenant(found.id);
  for (const domain of domains) ctx.tenancy.resolver.invalidateDomain(domain);
  ctx.tenancy.facts.invalidate(found.id);
  ctx.log.warn(
    { adminId: admin.userId, tenantId: found.id, slug: found.slug, removed, reason: input.reason },
    "platform admin deleted a tenant",
  );
  return { deleted: true, removed };
}
