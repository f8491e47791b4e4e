import { randomUUID } from "node:crypto";
import { UniqueConstraintError, withTenantScope, withUserScope, type TenantDb } from "@tenantry/db";
import { ConflictError, recordAudit, type Actor, type Context, type MemberRole } from "@tenantry/api-core";
import type { MemberContext } from "./tenant-context.ts";
import { auditTenantChange } from "../audit/audit-trail.ts";

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  createdAt: string;
  /** The caller's role in it. */
  role: MemberRole;
}

type TenantRow = { id: string; slug: string; name: string; status: "active" | "suspended"; createdAt: Date };

const toSummary = (tenant: TenantRow, role: MemberRole): TenantSummary => ({
  id: tenant.id,
  slug: tenant.slug,
  name: tenant.name,
  status: tenant.status,
  createdAt: tenant.createdAt.toISOString(),
  role,
});

const slugTaken = () => new ConflictError("SLUG_TAKEN", "slug: another tenant already uses this slug.");

/** The creator becomes the owner; the tenant starts on the free plan. */
export async function createTenant(
  ctx: Pick<Context, "db" | "tenancy" | "ip" | "userAgent">,
  actor: Actor,
  input: { slug: string; name: string },
): Promise<TenantSummary> {
  const freePlan = await ctx.db.plan.findUniqueOrThrow({ where: { code: "free" } });
  const tenantId = randomUUID();
  try {
    const tenant = await withTenantScope(ctx.db, { tenantId, userId: actor.userId }, async (tx) => {
      const created = await tx.tenant.create({ data: { id: tenantId, slug: input.slug, name: input.name } });
      await tx.tenantMember.create({ data: { tenantId, userId: actor.userId, role: "owner" } });
      await tx.subscription.create({ data: { tenantId, planId: freePlan.id, status: "active" } });
      await recordAudit(tx, {
        action: "tenant.created",
        targetType: "tenant",
        targetId: tenantId,
        details: { slug: input.slug },
        tenantId,
        actorType: "user",
        actorId: actor.userId,
        origin: ctx,
      });
      return created;
    });
    ctx.tenancy.resolver.invalidateReference(input.slug);
    return toSummary(tenant, "owner");
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw slugTaken();
    throw error;
  }
}

/** Every tenant the caller belongs to, with their role, oldest membership first. */
export async function listMyTenants(ctx: Pick<Context, "db">, actor: Actor): Promise<TenantSummary[]> {
  const memberships = await withUserScope(ctx.db, actor.userId, (tx) =>
    tx.tenantMember.findMany({ where: { userId: actor.userId }, include: { tenant: true }, orderBy: { createdAt: "asc" } }),
  );
  return memberships.map((m) => toSummary(m.tenant, m.role));
}

export async function getTenant(ctx: MemberContext): Promise<TenantSummary> {
  const tenant = await ctx.tenantDb.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id } });
  return toSummary(tenant, ctx.membership.role);
}

export async function updateTenant(
  ctx: MemberContext,
  input: { name?: string | undefined; slug?: string | undefined },
): Promise<TenantSummary> {
  try {
    const tenant = await ctx.tenantDb.tenant.update({
      where: { id: ctx.tenant.id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.slug !== undefined ? { slug: input.slug } : {}),
      },
    });
    if (input.slug !== undefined) {
      const slug = input.slug;
      ctx.afterCommit(() => {
        ctx.tenancy.resolver.invalidateTenant(ctx.tenant.id);
        ctx.tenancy.resolver.invalidateReference(slug);
      });
    }
    return toSummary(tenant, ctx.membership.role);
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw slugTaken();
    throw error;
  }
}

export interface TenantDeletion {
  deleted: true;
  /** What went with it: everything the tenant owned is deleted, nothing is kept. */
  removed: { members: number; domains: number; invitations: number; modules: number };
}

/** Owners only. Deletes the tenant and, by cascade, everything it owns. */
export async function deleteTenant(ctx: MemberContext): Promise<TenantDeletion> {
  const { removed, domains } = await deleteTenantRows(ctx.tenantDb, ctx.tenant.id);
  // No foreign key ties events to the tenant: this one (and the tenant's earlier ones) stay.
  await auditTenantChange(ctx, { action: "tenant.deleted", targetType: "tenant", targetId: ctx.tenant.id, details: { removed } });
  ctx.afterCommit(() => {
    ctx.tenancy.resolver.invalidateTenant(ctx.tenant.id);
    for (const domain of domains) ctx.tenancy.resolver.invalidateDomain(domain);
  });
  ctx.log.info({ tenantId: ctx.tenant.id, by: ctx.actor.userId, removed }, "tenant deleted");
  return { deleted: true, removed };
}

/**
 * Deletes a tenant inside its own scope (`tx`); memberships, domains, invitations, module
 * settings and module data go with it (foreign keys cascade). Returns what went, and the domains
 * whose cache entries the caller clears once the transaction commits.
 */
export async function deleteTenantRows(
  tx: TenantDb,
  tenantId: string,
): Promise<{ removed: TenantDeletion["removed"]; domains: string[] }> {
  const removed = {
    members: await tx.tenantMember.count(),
    domains: await tx.tenantDomain.count(),
    invitations: await tx.invitation.count(),
    modules: await tx.tenantModule.count(),
  };
  const domains = await tx.tenantDomain.findMany({ select: { domain: true } });
  await tx.tenant.delete({ where: { id: tenantId } });
  return { removed, domains: domains.map((row) => row.domain) };
}
