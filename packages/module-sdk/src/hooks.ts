import { AppError, InputValidationError, notifyCoreEvent, type NotificationInput } from "@tenantry/api-core";
import type { TenantDb, TenantIdentity } from "@tenantry/db";
import type { Logger } from "pino";
import { ModuleHookError } from "./module-errors.ts";

/** What a lifecycle hook gets: the change's own transaction, so a throw undoes the change. */
export interface ModuleHookContext<Settings> {
  tenant: TenantIdentity;
  tenantDb: TenantDb;
  /** The settings in force after the change. */
  settings: Settings;
  /** Who made the change. */
  user: { id: string };
  log: Logger;
  notify(notification: NotificationInput): Promise<number>;
}

export interface ModuleHooks<Settings> {
  /** After the module is switched on for a tenant (also when switched on again). */
  onEnable?(ctx: ModuleHookContext<Settings>): Promise<void> | void;
  /** After it is switched off; the tenant's data stays. */
  onDisable?(ctx: ModuleHookContext<Settings>): Promise<void> | void;
  /** After its settings changed; `previous` is what they were. */
  onSettingsChange?(ctx: ModuleHookContext<Settings> & { previous: Settings }): Promise<void> | void;
}

export type HookName = keyof ModuleHooks<unknown>;

/** The parts of a tenant procedure's context a hook run needs. */
export interface HookRunContext {
  tenant: TenantIdentity;
  log: Logger;
  afterRollback(work: (tenantDb: TenantDb) => Promise<unknown>): void;
}

/**
 * What the caller may read of a hook's failure. A module's own error message is meant for
 * people; a database driver's names files, queries and values, so it stays in the log.
 */
function shownMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (/^Prisma|^DatabaseError$|^DriverAdapterError$/.test(error.name)) return "a database error (see the server log)";
  return error.message;
}

/**
 * Runs one hook. A failure propagates (and rolls the change back): an AppError as it is, any
 * other error as MODULE_HOOK_FAILED with its message (a database error's only in the log). Either way the tenant's admins are told,
 * in a transaction of its own after the rollback.
 */
export async function runHook(
  moduleId: string,
  hook: HookName,
  ctx: HookRunContext,
  run: () => Promise<void> | void,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    ctx.log.warn({ err: error, module: moduleId, hook }, "module hook failed; the change is rolled back");
    const failure =
      error instanceof AppError || error instanceof InputValidationError
        ? error
        : new ModuleHookError(moduleId, hook, shownMessage(error));
    ctx.afterRollback((tenantDb) =>
      notifyCoreEvent(tenantDb, ctx.tenant.id, moduleId, {
        kind: "module.hook_failed",
        title: `The ${moduleId} module could not complete ${hook}`,
        body: failure.message,
        data: { moduleId, hook },
      }),
    );
    throw failure;
  }
}
