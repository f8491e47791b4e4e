import { parsePlanLimits, planAllowsModule, type PlanLimits } from "@tenantry/api-core";
import type { TenantDb } from "@tenantry/db";
import type { ModuleManifest } from "./manifest-schema.ts";
import { ModuleNotEnabledError, ModuleNotFoundError, ModuleNotInPlanError } from "./module-errors.ts";

/** What decides whether a tenant may use a module right now. */
export interface ModuleState {
  /** In the registry and present on disk. */
  installed: boolean;
  enabled: boolean;
  /** The tenant's stored settings, not yet parsed (absent: never enabled). */
  storedSettings: unknown;
  plan: { code: string; name: string; limits: PlanLimits };
}

/** Two reads inside the tenant's transaction: the tenant's module row and its plan. */
export async function readModuleState(tenantDb: TenantDb, tenantId: string, moduleId: string): Promise<ModuleState> {
  const registered = await tenantDb.module.findUnique({ where: { id: moduleId }, select: { status: true } });
  const row = await tenantDb.tenantModule.findUnique({
    where: { tenantId_moduleId: { tenantId, moduleId } },
    select: { enabled: true, settings: true },
  });
  const subscription = await tenantDb.subscription.findFirstOrThrow({ select: { plan: true } });
  return {
    installed: registered?.status === "available",
    enabled: row?.enabled ?? false,
    storedSettings: row?.settings,
    plan: { code: subscription.plan.code, name: subscription.plan.name, limits: parsePlanLimits(subscription.plan.limits) },
  };
}

/** Refuses use of a module that is not installed, not in the plan, or not enabled (in that order). */
export function assertModuleUsable(manifest: ModuleManifest, state: ModuleState): void {
  if (!state.installed) throw new ModuleNotFoundError(manifest.id);
  if (!planAllowsModule(manifest, state.plan)) throw new ModuleNotInPlanError(manifest.id, state.plan.name);
  if (!state.enabled) throw new ModuleNotEnabledError(manifest.id);
}
