import { AppError } from "@tenantry/api-core";

/** The module is not installed on this platform (no such id, or marked unavailable). */
export class ModuleNotFoundError extends AppError {
  constructor(moduleId: string) {
    super("NOT_FOUND", "MODULE_NOT_FOUND", `There is no module "${moduleId}" on this platform.`);
  }
}

export class ModuleNotEnabledError extends AppError {
  constructor(moduleId: string) {
    super(
      "FORBIDDEN",
      "MODULE_NOT_ENABLED",
      `The ${moduleId} module is not enabled for this tenant; an owner or admin can enable it (POST /api/v1/tenant/modules/${moduleId}/enable).`,
    );
  }
}

/**
 * What visitors and customers are told when a module cannot serve them, whatever the reason:
 * they learn neither the tenant's plan nor its settings.
 */
export class ModuleNotAvailableError extends AppError {
  constructor(moduleId: string) {
    super("FORBIDDEN", "MODULE_NOT_ENABLED", `The ${moduleId} module is not available for this tenant.`);
  }
}

export class ModuleNotInPlanError extends AppError {
  constructor(moduleId: string, planName: string) {
    super(
      "FORBIDDEN",
      "MODULE_NOT_IN_PLAN",
      `The ${moduleId} module is not included in the ${planName} plan; change the plan to use it.`,
    );
  }
}

/** Stored settings the module's (newer) schema no longer accepts; an admin must update them. */
export class ModuleSettingsInvalidError extends AppError {
  constructor(moduleId: string, detail: string) {
    super(
      "CONFLICT",
      "MODULE_SETTINGS_INVALID",
      `The ${moduleId} module's stored settings are no longer valid (${detail}); an admin must update them.`,
    );
  }
}

/** A lifecycle hook threw something other than an AppError; its message reaches the caller. */
export class ModuleHookError extends AppError {
  constructor(moduleId: string, hook: string, message: string) {
    super("CONFLICT", "MODULE_HOOK_FAILED", `The ${moduleId} module's ${hook} hook failed: ${message}`);
  }
}
