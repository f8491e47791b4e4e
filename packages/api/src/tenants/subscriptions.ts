import { withTenantScope, type TenantDb } from "@tenantry/db";
import { AppError, NotFoundError, TenantNotFoundError, type Actor, type Context } from "@tenantry/api-core";
import { parsePlanLimits, planAllowsModule, type PlanLimits } from "@tenantry/api-core";
import { findTenantByReference } from "@tenantry/db";
import { seatsInUse } from "./plan-usage.ts";
import type { MemberContext } from "./tenant-context.ts";
import { auditAdminChange, auditTenantChange } from "../audit/audit-trail.ts";
import { lockTenant } from "@tenantry/api-core";

export interface PlanEntry {
  code: string;
  name: string;
  priceMinor: number;
  currency: string;
  limits: PlanLimits;
}

export interface SubscriptionEntry {
  plan: PlanEntry;
  status: "trialing" | "active" | "past_due" | "canceled";
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
}

type PlanRow = { code: string; name: string; priceMinor: number; currency: string; limits: unknown };

const toPlan = (plan: PlanRow): PlanEntry => ({
  code: plan.code,
  name: plan.name,
  priceMinor: plan.priceMinor,
  currency: plan.currency,
  limits: parsePlanLimits(plan.limits),
});

export class PlanDoesNotFitError extends AppError {
  constructor(
    planName: string,
    readonly problems: string[],
  ) {
    super("CONFLICT", "PLAN_DOES_NOT_FIT", `The tenant does not fit the ${planName} plan: ${problems.join("; ")}.`);
  }
}

/** The public catalogue, cheapest first. */
export async function listPlans(ctx: Pick<Context, "db">): Promise<PlanEntry[]> {
  const plans = await ctx.db.plan.findMany({ where: { isPublic: true }, orderBy: { priceMinor: "asc" } });
  return plans.map(toPlan);
}

async function readSubscription(tenantDb: TenantDb): Promise<SubscriptionEntry> {
  const subscription = await tenantDb.subscription.findFirstOrThrow({ include: { plan: true } });
  return {
    plan: toPlan(subscription.plan),
    status: subscription.status,
    currentPeriodEnd: subscription.currentPeriodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
  };
}

export async function getSubscription(ctx: MemberContext): Promise<SubscriptionEntry> {
  return readSubscription(ctx.tenantDb);
}

async function findPlan(db: Pick<TenantDb, "plan">, code: string) {
  const plan = await db.plan.findUnique({ where: { code } });
  if (!plan) throw new NotFoundError("PLAN_NOT_FOUND", `planCode: no plan "${code}".`);
  return plan;
}

/** Everything that would break under `limits`, as instructions; empty when the tenant fits. */
async function fitProblems(tenantDb: TenantDb, plan: { code: string; limits: PlanLimits }, now: Date): Promise<string[]> {
  const { limits } = plan;
  const problems: string[] = [];
  // Pending invitations hold seats, as everywhere else.
  const seats = await seatsInUse(tenantDb, now);
  if (seats > limits.maxMembers) {
    const members = await tenantDb.tenantMember.count();
    const pending = seats - members;
    const held = pending > 0 ? ` and ${pending} pending invitation${pending === 1 ? "" : "s"}` : "";
    problems.push(
      `it has ${members} members${held} and the plan allows ${limits.maxMembers}: ` +
        `remove ${seats - limits.maxMembers} (members, or revoke pending invitations)`,
    );
  }
  const enabled = await tenantDb.tenantModule.findMany({
    where: { enabled: true },
    select: { moduleId: true, module: { select: { manifest: true } } },
  });
  for (const { moduleId, module } of enabled) {
    const plans = (module.manifest as { plans?: string[] }).plans;
    if (!planAllowsModule({ id: moduleId, plans }, plan)) {
      problems.push(`module ${moduleId} is enabled and the plan does not include it: disable it`);
    }
  }
  return problems;
}

/**
 * Owners change the plan. A plan the tenant no longer fits is refused with the list of what
 * must change; otherwise the billing provider is asked and its answer recorded.
 */
export async function changePlan(ctx: MemberContext, planCode: string): Promise<SubscriptionEntry> {
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  const target = await findPlan(ctx.tenantDb, planCode);
  const current = await ctx.tenantDb.subscription.findFirstOrThrow({ include: { plan: true } });
  if (current.plan.code === target.code) return readSubscription(ctx.tenantDb);

  const problems = await fitProblems(ctx.tenantDb, { code: target.code, limits: parsePlanLimits(target.limits) }, ctx.auth.now());
  if (problems.length > 0) throw new PlanDoesNotFitError(target.name, problems);

  const billed = await ctx.tenancy.billing.changePlan({
    tenantId: ctx.tenant.id,
    fromPlanCode: current.plan.code,
    toPlanCode: target.code,
    priceMinor: target.priceMinor,
  });
  // The module procedures cache each module's state with the plan that allows it.
  ctx.afterCommit(() => ctx.tenancy.facts.invalidate(ctx.tenant.id));
  await ctx.tenantDb.subscription.update({
    where: { id: current.id },
    data: { planId: target.id, status: billed.status, currentPeriodEnd: billed.currentPeriodEnd, cancelAtPeriodEnd: false },
  });
  await auditTenantChange(ctx, {
    action: "subscription.changed",
    targetType: "subscription",
    targetId: current.id,
    details: { from: current.plan.code, to: target.code, status: billed.status },
  });
  return readSubscription(ctx.tenantDb);
}

/**
 * Platform admins set any tenant's plan and status, bypassing the fit check and billing. The
 * one cross-tenant write path: explicit about the tenant, and logged with the admin's id.
 */
export async function adminSetSubscription(
  ctx: Pick<Context, "db" | "log" | "tenancy" | "ip" | "userAgent">,
  admin: Actor,
  input: {
    tenant: string;
    planCode?: string | undefined;
    status?: SubscriptionEntry["status"] | undefined;
    currentPeriodEnd?: string | null | undefined;
    cancelAtPeriodEnd?: boolean | undefined;
  },
): Promise<SubscriptionEntry> {
  const tenant = await findTenantByReference(ctx.db, input.tenant);
  if (!tenant) throw new TenantNotFoundError(input.tenant);
  const plan = input.planCode ? await findPlan(ctx.db, input.planCode) : undefined;
  ctx.log.warn({ adminId: admin.userId, tenantId: tenant.id, change: input }, "platform admin changed a tenant's subscription");
  const changed = await withTenantScope(ctx.db, { tenantId: tenant.id }, async (tx) => {
    await tx.subscription.updateMany({
      data: {
        ...(plan ? { planId: plan.id } : {}),
        ...(input.status ? { status: input.status } : {}),
        ...(input.currentPeriodEnd !== undefined
          ? { currentPeriodEnd: input.currentPeriodEnd ? new Date(input.currentPeriodEnd) : null }
          : {}),
        ...(input.cancelAtPeriodEnd !== undefined ? { cancelAtPeriodEnd: input.cancelAtPeriodEnd } : {}),
      },
    });
    const after = await readSubscription(tx);
    await auditAdminChange(tx, ctx, admin, tenant.id, {
      action: "subscription.changed",
      targetType: "subscription",
      details: { plan: after.plan.code, status: after.status, set: Object.keys(input).filter((key) => key !== "tenant") },
    });
    return after;
  });
  ctx.tenancy.facts.invalidate(tenant.id);
  return changed;
}
