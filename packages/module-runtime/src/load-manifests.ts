import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { moduleManifestSchema, type ModuleManifest } from "@tenantry/module-sdk";

/** A manifest the platform cannot load; the message names the file, the field and the reason. */
export class ManifestError extends Error {
  override name = "ManifestError";
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ""}${reason}`);
  }
}

export interface LoadedModule {
  manifest: ModuleManifest;
  /** The module's folder. */
  dir: string;
}

async function loadOne(dir: string): Promise<LoadedModule> {
  const file = path.join(dir, "manifest.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new ManifestError(file, undefined, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = moduleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join(".") || undefined;
    throw new ManifestError(file, field, issue.message);
  }
  if (parsed.data.id !== path.basename(dir)) {
    throw new ManifestError(file, "id", `must match its folder name "${path.basename(dir)}"`);
  }
  return { manifest: parsed.data, dir };
}

/**
 * Every `<modulesDir>/<id>/manifest.json`, validated, in id order. Beyond each file's schema it
 * checks what only the whole set can tell: the core version fits, and every dependency is
 * present in a version the depending module accepts.
 */
export async function loadModuleManifests(modulesDir: string, coreVersion: string): Promise<LoadedModule[]> {
  // A missing folder is a configuration error (a wrong MODULES_DIR, an image without it), not "no modules".
  const entries = await readdir(modulesDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    throw new ManifestError(
      modulesDir,
      undefined,
      `the modules folder does not exist (MODULES_DIR, or "tenantry.modules" in the root package.json)`,
    );
  });
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => path.join(modulesDir, e.name))
    .sort();
  const modules: LoadedModule[] = [];
  for (const dir of dirs) {
    const hasManifest = await readFile(path.join(dir, "manifest.json")).then(
      () => true,
      () => false,
    );
    if (hasManifest) modules.push(await loadOne(dir));
  }
  const byId = new Map(modules.map((m) => [m.manifest.id, m]));
  for (const { manifest, dir } of modules) {
    const file = path.join(dir, "manifest.json");
    if (!semver.satisfies(coreVersion, manifest.core)) {
      throw new ManifestError(file, "core", `needs core ${manifest.core}, this is ${coreVersion}`);
    }
    for (const [dependency, wanted] of Object.entries(manifest.dependencies)) {
      const present = byId.get(dependency);
      if (!present) throw new ManifestError(file, `dependencies.${dependency}`, "no such module in modules/");
      if (!semver.satisfies(present.manifest.version, wanted)) {
        throw new ManifestError(
          file,
          `dependencies.${dependency}`,
          `needs ${wanted}, modules/${dependency} is ${present.manifest.version}`,
        );
      }
    }
  }
  return modules;
}
