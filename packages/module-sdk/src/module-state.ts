import { parsePlanLimits, planAllowsModule, TenantNotFoundError, type PlanLimits } from "@tenantry/api-core";
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

/**
 * One read inside the tenant's transaction (row-level security applies): the registry entry,
 * the tenant's row for the module and its plan. Every module procedure pays for it.
 */
export async function readModuleState(tenantDb: TenantDb, tenantId: string, moduleId: string): Promise<ModuleState> {
  const rows = await tenantDb.$queryRaw<
    Array<{ status: string | null; enabled: boolean | null; settings: unknown; code: string; name: string; limits: unknown }>
  >`select m.status::text as status, tm.enabled, tm.settings, p.code, p.name, p.limits
      from subscriptions s
      join plans p on p.id = s.plan_id
      left join modules m on m.id = ${moduleId}
      left join tenant_modules tm on tm.tenant_id = s.tenant_id and tm.module_id = ${moduleId}
     where s.tenant_id = ${tenantId}::uuid`;
  const row = rows[0];
  // Every tenant gets a subscription with its creation, so none means the tenant was deleted
  // after this request resolved it (from the cache, or while it waited for its transaction).
  if (!row) throw new TenantNotFoundError();
  return {
    installed: row.status === "available",
    enabled: row.enabled ?? false,
    storedSettings: row.settings ?? undefined,
    plan: { code: row.code, name: row.name, limits: parsePlanLimits(row.limits) },
  };
}

/** Refuses use of a module that is not installed, not in the plan, or not enabled (in that order). */
export function assertModuleUsable(manifest: ModuleManifest, state: ModuleState): void {
  if (!state.installed) throw new ModuleNotFoundError(manifest.id);
  if (!planAllowsModule(manifest, state.plan)) throw new ModuleNotInPlanError(manifest.id, state.plan.name);
  if (!state.enabled) throw new ModuleNotEnabledError(manifest.id);
}
