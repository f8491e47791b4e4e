import {
  ConflictError,
  lockTenant,
  checkedNotification,
  notifyCoreEvent,
  notifyTenantAdmins,
  planAllowsModule,
  requirePermission,
  type Actor,
  type AuthRuntime,
  type Context,
  type MemberRole,
  type TenancyRuntime,
  type TenantContext,
} from "@tenantry/api-core";
import {
  type AnyModuleDefinition,
  runHook,
  ModuleNotFoundError,
  ModuleNotInPlanError,
  readModuleState,
  mergeSettings,
  readStoredSettings,
  settingsPatchSchema,
  validateSettings,
} from "@tenantry/module-sdk";

/** Switching modules on and off for one tenant: what the core's `modules.*` procedures do. */

/** A tenant member's request, as the lifecycle needs it. */
export type LifecycleContext = Pick<Context, "log"> & { tenancy: Pick<TenancyRuntime, "facts"> } & TenantContext & {
    actor: Pick<Actor, "userId">;
    membership: { role: MemberRole };
    auth: Pick<AuthRuntime, "now">;
  };

export type ModuleDefinitions = ReadonlyMap<string, AnyModuleDefinition>;

/** An installed module by id (registered, available, compiled in), or MODULE_NOT_FOUND. */
async function installedModule(ctx: LifecycleContext, definitions: ModuleDefinitions, moduleId: string) {
  const definition = definitions.get(moduleId);
  const state = await readModuleState(ctx.tenantDb, ctx.tenant.id, moduleId);
  if (!definition || !state.installed) throw new ModuleNotFoundError(moduleId);
  return { definition, state };
}

/** The module procedures cache module state per tenant: once this change commits, it is stale. */
function forgetModuleStateOnCommit(ctx: LifecycleContext): void {
  ctx.afterCommit(() => ctx.tenancy.facts.invalidate(ctx.tenant.id));
}

/** What a hook (or a module's demo data) gets, in the lifecycle change's transaction. */
export const lifecycleHookContext = (
  ctx: LifecycleContext,
  definition: AnyModuleDefinition,
  settings: Record<string, unknown>,
) => {
  const moduleId = definition.manifest.id;
  return {
    tenant: ctx.tenant,
    tenantDb: ctx.tenantDb,
    settings,
    user: { id: ctx.actor.userId },
    log: ctx.log.child({ module: moduleId }),
    notify: (notification: Parameters<typeof notifyTenantAdmins>[3]) =>
      notifyTenantAdmins(
        ctx.tenantDb,
        ctx.tenant.id,
        moduleId,
        checkedNotification(moduleId, definition.notifications, notification as never),
      ),
  };
};

/**
 * Switches a module on: the plan must allow it and its dependencies must be on. Settings start
 * from what the tenant had (a module switched off keeps them), then the defaults, with
 * `settings` on top. The module's onEnable hook runs in this transaction: if it throws, nothing
 * changes and the caller sees its error. Enabling an enabled module changes nothing.
 */
export async function enableModule(
  ctx: LifecycleContext,
  definitions: ModuleDefinitions,
  moduleId: string,
  settingsPatch: Record<string, unknown> | undefined,
): Promise<void> {
  requirePermission(ctx.membership.role, "modules.manage");
  // One lifecycle change of a tenant at a time, so a dependency cannot be switched off while
  // a module that needs it is being switched on.
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  const { definition, state } = await installedModule(ctx, definitions, moduleId);
  if (state.enabled) {
    if (settingsPatch === undefined) return;
    throw new ConflictError(
      "MODULE_ALREADY_ENABLED",
      `The ${moduleId} module is already enabled; change its settings with PATCH /api/v1/modules/${moduleId}/settings.`,
    );
  }

  if (!planAllowsModule(definition.manifest, state.plan)) throw new ModuleNotInPlanError(moduleId, state.plan.name);
  const missing: string[] = [];
  for (const dependency of Object.keys(definition.manifest.dependencies)) {
    if (!(await readModuleState(ctx.tenantDb, ctx.tenant.id, dependency)).enabled) missing.push(dependency);
  }
  if (missing.length > 0) {
    throw new ConflictError("MODULE_DEPENDENCY_NOT_ENABLED", `The ${moduleId} module needs ${missing.join(", ")} enabled first.`);
  }

  // Checked as an update is (unknown keys refused), then as a whole. Stored settings a newer
  // schema rejects can be repaired here, so the merge starts from the raw stored values.
  const settings = settingsPatch
    ? validateSettings(
        definition.settings,
        mergeSettings(
          state.storedSettings ?? {},
          validateSettings(settingsPatchSchema(definition.settings), settingsPatch, "settings"),
        ),
        "settings",
      )
    : readStoredSettings(moduleId, definition.settings, state.storedSettings);
  const now = ctx.auth.now();
  forgetModuleStateOnCommit(ctx);
  await ctx.tenantDb.tenantModule.upsert({
    where: { tenantId_moduleId: { tenantId: ctx.tenant.id, moduleId } },
    create: { tenantId: ctx.tenant.id, moduleId, enabled: true, enabledAt: now, settings: settings as object },
    update: { enabled: true, enabledAt: now, settings: settings as object },
  });
  const onEnable = definition.hooks.onEnable;
  if (onEnable) await runHook(moduleId, "onEnable", ctx, () => onEnable(lifecycleHookContext(ctx, definition, settings)));
  await notifyCoreEvent(ctx.tenantDb, ctx.tenant.id, "core", {
    kind: "module.enabled",
    title: `${definition.manifest.name} was enabled`,
    data: { moduleId, by: ctx.actor.userId },
  });
}

/**
 * Switches a module off; its data and settings stay for when it is switched on again. Refused
 * while another enabled module depends on it. Disabling a disabled module changes nothing.
 */
export async function disableModule(ctx: LifecycleContext, definitions: ModuleDefinitions, moduleId: string): Promise<void> {
  requirePermission(ctx.membership.role, "modules.manage");
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  const { definition, state } = await installedModule(ctx, definitions, moduleId);
  if (!state.enabled) return;

  const dependents: string[] = [];
  for (const other of definitions.values()) {
    if (!(moduleId in other.manifest.dependencies)) continue;
    if ((await readModuleState(ctx.tenantDb, ctx.tenant.id, other.manifest.id)).enabled) dependents.push(other.manifest.id);
  }
  if (dependents.length > 0) {
    throw new ConflictError(
      "MODULE_REQUIRED",
      `${dependents.join(", ")} ${dependents.length === 1 ? "depends" : "depend"} on the ${moduleId} module; disable ${dependents.length === 1 ? "it" : "them"} first.`,
    );
  }

  forgetModuleStateOnCommit(ctx);
  await ctx.tenantDb.tenantModule.update({
    where: { tenantId_moduleId: { tenantId: ctx.tenant.id, moduleId } },
    data: { enabled: false },
  });
  const onDisable = definition.hooks.onDisable;
  if (onDisable) {
    // A module whose stored settings no longer parse can still be switched off.
    const parsed = definition.settings.safeParse(state.storedSettings ?? {});
    const settings = parsed.success ? parsed.data : ((state.storedSettings ?? {}) as Record<string, unknown>);
    await runHook(moduleId, "onDisable", ctx, () => onDisable(lifecycleHookContext(ctx, definition, settings)));
  }
  await notifyCoreEvent(ctx.tenantDb, ctx.tenant.id, "core", {
    kind: "module.disabled",
    title: `${definition.manifest.name} was disabled`,
    body: "Its data and settings are kept for when it is enabled again.",
    data: { moduleId, by: ctx.actor.userId },
  });
  return;
}
