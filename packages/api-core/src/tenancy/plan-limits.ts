import { z } from "zod";

/** What a plan allows; stored as JSON on the plan so modules can add limits of their own. */
export const planLimitsSchema = z
  .object({
    maxMembers: z.number().int().min(1).default(3),
    /** Module ids this plan may enable. */
    modules: z.array(z.string()).default([]),
  })
  .catchall(z.unknown());

export type PlanLimits = z.infer<typeof planLimitsSchema>;

export function parsePlanLimits(limits: unknown): PlanLimits {
  return planLimitsSchema.parse(limits ?? {});
}

/**
 * A plan may enable a module when the module's manifest names the plan, or when the plan's
 * limits list the module (a feature flag an operator can grant per plan without a release).
 */
export function planAllowsModule(
  module: { id: string; plans?: string[] | undefined },
  plan: { code: string; limits: PlanLimits },
): boolean {
  return (module.plans?.includes(plan.code) ?? false) || plan.limits.modules.includes(module.id);
}
