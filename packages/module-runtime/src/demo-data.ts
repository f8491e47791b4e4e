import { inTenantTransaction, lockTenant, TenantFactsCache } from "@tenantry/api-core";
import { findTenantByReference, withTenantScope, type DbClient } from "@tenantry/db";
import type { Logger } from "pino";
import { enableModule, lifecycleHookContext, type LifecycleContext, type ModuleDefinitions } from "./lifecycle.ts";
import { type AnyModuleDefinition, readModuleState, readStoredSettings } from "@tenantry/module-sdk";

export interface DemoSeedResult {
  /** Switched on and filled now. */
  seeded: string[];
  /** The tenant has had these before (enabled or not): left as they are. */
  kept: string[];
  /** Not seeded, with why: no demo tenant, its plan excludes the module, or seeding failed. */
  skipped: Array<{ moduleId: string; reason: string }>;
}

/**
 * Development demo data for modules: every module with a `demo` is switched on for the demo
 * tenant (by its owner, through the same `enableModule` as the REST call, so plan,
 * dependencies, hooks and notifications apply) and filled, in one transaction per module.
 *
 * Only a module the tenant has never had is touched: run on every start, it seeds once, and a
 * module the operator has since switched off or emptied stays as they left it. Whatever is not
 * seeded is logged (as a warning) and reported; a module's failure does not stop the others.
 */
export async function seedModuleDemoData(
  db: DbClient,
  definitions: ModuleDefinitions,
  options: { tenantSlug: string; log: Logger; now?: () => Date },
): Promise<DemoSeedResult> {
  const result: DemoSeedResult = { seeded: [], kept: [], skipped: [] };
  const withDemo = inDependencyOrder(definitions).filter((d) => d.demo);
  if (withDemo.length === 0) return result;
  const tenant = await findTenantByReference(db, options.tenantSlug);
  if (!tenant) return skipAll(result, withDemo, `no tenant "${options.tenantSlug}"`, options.log);
  const ownerId = await withTenantScope(db, { tenantId: tenant.id }, async (tenantDb) => {
    const owner = await tenantDb.tenantMember.findFirst({ where: { role: "owner" }, orderBy: { createdAt: "asc" } });
    return owner?.userId;
  });
  if (!ownerId) return skipAll(result, withDemo, `tenant "${options.tenantSlug}" has no owner`, options.log);

  for (const definition of withDemo) {
    const moduleId = definition.manifest.id;
    const log = options.log.child({ module: moduleId });
    try {
      // As over HTTP: a failing hook's notice for the admins outlives the rollback.
      const outcome = await inTenantTransaction(db, log, tenant, ownerId, async (scoped) => {
        // Locked first, so of two servers starting at once only one finds the module new.
        await lockTenant(scoped.tenantDb, tenant.id);
        const state = await readModuleState(scoped.tenantDb, tenant.id, moduleId);
        if (state.storedSettings !== undefined) return "kept" as const;
        const ctx: LifecycleContext = {
          ...scoped,
          actor: { userId: ownerId },
          membership: { role: "owner" },
          auth: { now: options.now ?? (() => new Date()) },
          // Demo data is written before the server serves anything: no cache holds this tenant yet.
          tenancy: { facts: new TenantFactsCache({ ttlMs: 0 }) },
          log,
        };
        await enableModule(ctx, definitions, moduleId, undefined);
        // Switched on for the first time without settings: the module's defaults.
        const settings = readStoredSettings(moduleId, definition.settings, undefined);
        await definition.demo!(lifecycleHookContext(ctx, definition, settings));
        return "seeded" as const;
      });
      result[outcome].push(moduleId);
    } catch (error) {
      log.warn({ err: error }, "module demo data not seeded");
      result.skipped.push({ moduleId, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

function skipAll(result: DemoSeedResult, modules: AnyModuleDefinition[], reason: string, log: Logger): DemoSeedResult {
  for (const m of modules) result.skipped.push({ moduleId: m.manifest.id, reason });
  log.warn({ modules: modules.map((m) => m.manifest.id), reason }, "module demo data not seeded");
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
