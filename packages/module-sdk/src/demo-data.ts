import { findTenantByReference, withTenantScope, type DbClient, type TenantDb } from "@tenantry/db";
import type { Logger } from "pino";
import type { AnyModuleDefinition } from "./define-module.ts";
import { enableModule, lifecycleHookContext, type LifecycleContext, type ModuleDefinitions } from "./lifecycle.ts";
import { readModuleState } from "./module-state.ts";
import { readStoredSettings } from "./settings.ts";

export interface DemoSeedResult {
  /** Switched on and filled now. */
  seeded: string[];
  /** Left alone, with why: the tenant had it before, its plan excludes it, or seeding failed. */
  skipped: Array<{ moduleId: string; reason: string }>;
}

/**
 * Development demo data for modules: every module with a `demo` is switched on for the demo
 * tenant (by its owner, through the same `enableModule` as the REST call, so plan,
 * dependencies, hooks and notifications apply) and filled, in one transaction per module.
 *
 * Only a module the tenant has never had is touched: run on every start, it seeds once, and a
 * module the operator has since switched off or emptied stays as they left it. A failure is
 * logged and skips that module; demo data never stops a development server.
 */
export async function seedModuleDemoData(
  db: DbClient,
  definitions: ModuleDefinitions,
  options: { tenantSlug: string; log: Logger; now?: () => Date },
): Promise<DemoSeedResult> {
  const result: DemoSeedResult = { seeded: [], skipped: [] };
  const withDemo = inDependencyOrder(definitions).filter((d) => d.demo);
  if (withDemo.length === 0) return result;
  const tenant = await findTenantByReference(db, options.tenantSlug);
  if (!tenant) {
    for (const d of withDemo) result.skipped.push({ moduleId: d.manifest.id, reason: `no tenant "${options.tenantSlug}"` });
    return result;
  }
  const ownerId = await withTenantScope(db, { tenantId: tenant.id }, async (tenantDb) => {
    const owner = await tenantDb.tenantMember.findFirst({ where: { role: "owner" }, orderBy: { createdAt: "asc" } });
    return owner?.userId;
  });
  if (!ownerId) {
    for (const d of withDemo) result.skipped.push({ moduleId: d.manifest.id, reason: "the tenant has no owner" });
    return result;
  }

  for (const definition of withDemo) {
    const moduleId = definition.manifest.id;
    const log = options.log.child({ module: moduleId });
    const onRollback: Array<(tenantDb: TenantDb) => Promise<unknown>> = [];
    try {
      const outcome = await withTenantScope(db, { tenantId: tenant.id, userId: ownerId }, async (tenantDb) => {
        const state = await readModuleState(tenantDb, tenant.id, moduleId);
        if (state.storedSettings !== undefined) return "the tenant has had it before";
        const ctx: LifecycleContext = {
          tenant,
          tenantDb,
          afterRollback: (work) => onRollback.push(work),
          actor: { userId: ownerId },
          membership: { role: "owner" },
          auth: { now: options.now ?? (() => new Date()) },
          log,
        };
        await enableModule(ctx, definitions, moduleId, undefined);
        // Switched on for the first time without settings: the module's defaults.
        const settings = readStoredSettings(moduleId, definition.settings, undefined);
        await definition.demo!(lifecycleHookContext(ctx, moduleId, settings));
        return "seeded";
      });
      if (outcome === "seeded") result.seeded.push(moduleId);
      else result.skipped.push({ moduleId, reason: outcome });
    } catch (error) {
      log.warn({ err: error }, "module demo data not seeded");
      result.skipped.push({ moduleId, reason: error instanceof Error ? error.message : String(error) });
      // What a failing hook records for the admins (a notice) outlives the rollback, as over HTTP.
      for (const work of onRollback) {
        await withTenantScope(db, { tenantId: tenant.id, userId: ownerId }, work).catch((e: unknown) =>
          log.warn({ err: e }, "recording the failure failed"),
        );
      }
    }
  }
  return result;
}

/** Dependencies before the modules that need them (the manifest loader refuses unknown ones). */
function inDependencyOrder(definitions: ModuleDefinitions): AnyModuleDefinition[] {
  const ordered: AnyModuleDefinition[] = [];
  const visited = new Set<string>();
  const visit = (definition: AnyModuleDefinition) => {
    if (visited.has(definition.manifest.id)) return;
    visited.add(definition.manifest.id);
    for (const dependency of Object.keys(definition.manifest.dependencies)) {
      const needed = definitions.get(dependency);
      if (needed) visit(needed);
    }
    ordered.push(definition);
  };
  [...definitions.values()].sort((a, b) => a.manifest.id.localeCompare(b.manifest.id)).forEach(visit);
  return ordered;
}
