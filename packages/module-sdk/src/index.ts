/**
 * What a module author imports. A module is `modules/<id>/` with a `manifest.json` and an entry
 * whose default export is `defineModule(...)`; see docs/modules.md.
 */
export { moduleManifestSchema, reservedModuleIds, type ModuleManifest } from "./manifest-schema.ts";
export { loadModuleManifests, ManifestError, type LoadedModule } from "./load-manifests.ts";
export { defineModule, type AnyModuleDefinition, type ModuleDefinition, type ModuleDemo } from "./define-module.ts";
export { seedModuleDemoData, type DemoSeedResult } from "./demo-data.ts";
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
export { cursorPage, decodeCursor, encodeCursor, pageInput, pageOf, pageQuery, type CursorPage } from "./cursor-pagination.ts";
// What module code needs from the core, so a module depends on this package alone.
export { AppError, BadInputError, ConflictError, ForbiddenError, NotFoundError, queryBoolean, router, strictBoolean } from "@tenantry/api-core";
export type { NotificationInput } from "@tenantry/api-core";
export type { TenantDb } from "@tenantry/db";
// Constraint violations, as typed errors: what a module catches to answer a race precisely.
export { ForeignKeyConstraintError, UniqueConstraintError } from "@tenantry/db";
export { syncModuleRegistry, type RegistrySync } from "./registry.ts";
export { disableModule, enableModule, type LifecycleContext, type ModuleDefinitions } from "./lifecycle.ts";
export { scaffoldModule, titleOf } from "./scaffold/scaffold-module.ts";
