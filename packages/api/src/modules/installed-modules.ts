import type { AnyModuleDefinition } from "@tenantry/module-sdk";
import { installedModules } from "../generated/modules.ts";

/** The modules compiled into this build (the generated map), by id. */
export const moduleDefinitions: ReadonlyMap<string, AnyModuleDefinition> = new Map(
  Object.entries(installedModules as Record<string, AnyModuleDefinition>),
);

/** The modules the build has, in id order, for the start-up check against the disk. */
export function compiledModules(): Array<{ id: string; version: string }> {
  return [...moduleDefinitions.values()]
    .map((m) => ({ id: m.manifest.id, version: m.manifest.version }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
