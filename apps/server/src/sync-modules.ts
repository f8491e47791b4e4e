import type { Database } from "@tenantry/db";
import { compiledModules } from "@tenantry/api";
import { loadModuleManifests, ManifestError, syncModuleRegistry } from "@tenantry/module-runtime";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import { StartupError } from "./startup-error.ts";
import { serverVersion } from "./version.ts";

/**
 * Validates every module manifest and makes the registry match the disk. An invalid manifest
 * stops the start with the file, the field and the reason.
 */
export async function syncModules(db: Database, config: Config, logger: Logger) {
  const modules = await loadModuleManifests(config.modulesDir, serverVersion).catch((error: unknown) => {
    if (error instanceof ManifestError) throw new StartupError(`Invalid module manifest: ${error.message}`);
    throw error;
  });
  // Module routers are compiled in from the generated map; serving a module the map lacks (or
  // an older version of one) would disagree with the registry and the OpenAPI document.
  const onDisk = modules.map((m) => `${m.manifest.id}@${m.manifest.version}`).join(", ") || "none";
  const compiled =
    compiledModules()
      .map((m) => `${m.id}@${m.version}`)
      .join(", ") || "none";
  if (onDisk !== compiled) {
    throw new StartupError(
      `The generated module map does not match ${config.modulesDir} (on disk: ${onDisk}; compiled in: ${compiled}). ` +
        "Run `pnpm modules:generate` (and `pnpm install` if it says so), then start again.",
    );
  }
  const synced = await syncModuleRegistry(
    db.prisma,
    modules.map((m) => m.manifest),
  );
  logger.info({ modules: modules.map((m) => `${m.manifest.id}@${m.manifest.version}`), ...synced }, "module registry synced");
}
