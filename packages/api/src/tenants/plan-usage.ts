import type { TenantDb } from "@tenantry/db";
import { AppError } from "@tenantry/api-core";
import { parsePlanLimits, type PlanLimits } from "@tenantry/api-core";

export class PlanLimitError extends AppError {
  constructor(message: string) {
    super("FORBIDDEN", "PLAN_LIMIT_REACHED", message);
  }
}

export async function currentPlan(tenantDb: TenantDb): Promise<{ code: string; name: string; limits: PlanLimits }> {
  const subscription = await tenantDb.subscription.findFirstOrThrow({ include: { plan: true } });
  return { code: subscription.plan.code, name: subscription.plan.name, limits: parsePlanLimits(subscription.plan.limits) };
}

/** Members plus pending invitations: a seat is taken once it is offered. */
export async function seatsInUse(tenantDb: TenantDb, now: Date): Promise<number> {
  // One transaction, one connection: queries run one after the other.
  const members = await tenantDb.tenantMember.count();
  const pending = await tenantDb.invitation.count({ where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } });
  return members + pending;
}

/** Where the limit bites: adding one more seat must fit the plan. */
export async function requireFreeSeat(tenantDb: TenantDb, now: Date, countPending = true): Promise<void> {
  const plan = await currentPlan(tenantDb);
  const used = countPending ? await seatsInUse(tenantDb, now) : await tenantDb.tenantMember.count();
  if (used >= plan.limits.maxMembers) {
    throw new PlanLimitError(
      `The ${plan.name} plan allows ${plan.limits.maxMembers} members (pending invitations included) and all are taken. ` +
        "Upgrade the plan, or remove a member or a pending invitation.",
    );
  }
}
