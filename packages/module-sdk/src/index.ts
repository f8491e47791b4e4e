export { moduleManifestSchema, type ModuleManifest } from "./manifest-schema.ts";
export { loadModuleManifests, ManifestError, type LoadedModule } from "./load-manifests.ts";
