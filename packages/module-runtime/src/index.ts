/**
 * The module runtime: what the platform does with modules. The server loads and checks the
 * manifests and syncs the registry at start-up; the core's `modules.*` procedures switch
 * modules on and off per tenant; development starts seed the demo tenant. Modules never import
 * this package (they import `@tenantry/module-sdk`).
 */
export { loadModuleManifests, ManifestError, type LoadedModule } from "./load-manifests.ts";
export { syncModuleRegistry, type RegistrySync } from "./registry.ts";
export { disableModule, enableModule, type LifecycleContext, type ModuleDefinitions } from "./lifecycle.ts";
export { seedModuleDemoData, type DemoSeedResult } from "./demo-data.ts";
export { scaffoldModule, titleOf } from "./scaffold/scaffold-module.ts";
