import { planAllowsModule } from "@tenantry/api-core";
import { disableModule as disable, enableModule as enable } from "@tenantry/module-runtime";
import { ModuleNotFoundError } from "@tenantry/module-sdk";
import type { MemberContext } from "../tenants/tenant-context.ts";
import { auditTenantChange } from "../audit/audit-trail.ts";
import { currentPlan } from "../tenants/plan-usage.ts";
import { moduleDefinitions } from "./installed-modules.ts";
export interface TenantModuleEntry {
  id: string;
  name: string;
  description: string;
  version: string;
  /** Other modules it needs enabled first, with the versions it works with. */
  dependencies: Record<string, string>;
  /** Whether the tenant's current plan may enable it. */
  allowedByPlan: boolean;
  enabled: boolean;
  enabledAt: string | null;
}

/** Every installed module, with whether this tenant's plan allows it and whether it is on. */
export async function listTenantModules(ctx: MemberContext): Promise<TenantModuleEntry[]> {
  const registered = await ctx.tenantDb.module.findMany({ where: { status: "available" }, orderBy: { id: "asc" } });
  const rows = await ctx.tenantDb.tenantModule.findMany({ select: { moduleId: true, enabled: true, enabledAt: true } });
  const plan = await currentPlan(ctx.tenantDb);
  const byId = new Map(rows.map((r) => [r.moduleId, r]));
  return registered
    .filter((m) => moduleDefinitions.has(m.id))
    .map((m) => {
      const manifest = moduleDefinitions.get(m.id)!.manifest;
      const row = byId.get(m.id);
      return {
        id: m.id,
        name: manifest.name,
        description: manifest.description,
        version: manifest.version,
        dependencies: manifest.dependencies,
        allowedByPlan: planAllowsModule(manifest, plan),
        enabled: row?.enabled ?? false,
        enabledAt: row?.enabled && row.enabledAt ? row.enabledAt.toISOString() : null,
      };
    });
}

async function entryOf(ctx: MemberContext, moduleId: string): Promise<TenantModuleEntry> {
  const entry = (await listTenantModules(ctx)).find((m) => m.id === moduleId);
  if (!entry) throw new ModuleNotFoundError(moduleId);
  return entry;
}

/** Switches a module on for the tenant (see `enableModule` in @tenantry/module-runtime). */
export async function enableModule(
  ctx: MemberContext,
  moduleId: string,
  settings: Record<string, unknown> | undefined,
): Promise<TenantModuleEntry> {
  const wasEnabled = (await entryOf(ctx, moduleId)).enabled;
  await enable(ctx, moduleDefinitions, moduleId, settings);
  if (!wasEnabled) await auditTenantChange(ctx, { action: "module.enabled", targetType: "module", targetId: moduleId });
  return entryOf(ctx, moduleId);
}

/** Switches a module off for the tenant; its data and settings stay. */
export async function disableModule(ctx: MemberContext, moduleId: string): Promise<TenantModuleEntry> {
  const wasEnabled = (await entryOf(ctx, moduleId)).enabled;
  await disable(ctx, moduleDefinitions, moduleId);
  if (wasEnabled) await auditTenantChange(ctx, { action: "module.disabled", targetType: "module", targetId: moduleId });
  return entryOf(ctx, moduleId);
}
