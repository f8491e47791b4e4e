/**
 * What a module author imports. A module is `modules/<id>/` with a `manifest.json` and an entry
 * whose default export is `defineModule(...)`; see docs/modules.md. Its tests use
 * `@tenantry/module-testing`; what the platform does with modules is `@tenantry/module-runtime`.
 */
export { moduleManifestSchema, reservedModuleIds, type ModuleManifest } from "./manifest-schema.ts";
export { defineModule, type AnyModuleDefinition, type ModuleDefinition, type ModuleDemo } from "./define-module.ts";
export {
  createModuleProcedures,
  parseModuleManifest,
  type ManifestInput,
  type ModuleProcedures,
  type RestRoute,
} from "./module-procedures.ts";
export { runHook, type HookName, type ModuleHookContext, type ModuleHooks } from "./hooks.ts";
export {
  mergeSettings,
  readStoredSettings,
  settingsPatchSchema,
  validateSettings,
  type SettingsPatch,
  type SettingsSchema,
} from "./settings.ts";
export { assertModuleUsable, readModuleState, type ModuleState } from "./module-state.ts";
export {
  ModuleHookError,
  ModuleNotEnabledError,
  ModuleNotFoundError,
  ModuleNotInPlanError,
  ModuleSettingsInvalidError,
} from "./module-errors.ts";
// What module code needs from the core, so a module depends on this package alone.
export {
  AppError,
  BadInputError,
  ConflictError,
  cursorPage,
  decodeCursor,
  encodeCursor,
  ForbiddenError,
  NotFoundError,
  pageInput,
  pageOf,
  pageQuery,
  queryBoolean,
  router,
  strictBoolean,
  type CursorPage,
} from "@tenantry/api-core";
export type { AuditRecord, NotificationInput, NotificationKinds, NotificationOf } from "@tenantry/api-core";
export type { TenantDb } from "@tenantry/db";
// Constraint violations, as typed errors: what a module catches to answer a race precisely.
export { ForeignKeyConstraintError, UniqueConstraintError } from "@tenantry/db";
