import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { moduleTemplate } from "./module-template.ts";
import { moduleManifestSchema } from "@tenantry/module-sdk";

/** `loyalty-points` → `Loyalty points`. */
export function titleOf(id: string): string {
  const words = id.split("-");
  return [words[0]![0]!.toUpperCase() + words[0]!.slice(1), ...words.slice(1)].join(" ");
}

/**
 * Writes a new module at `<modulesDir>/<id>/`. Refuses an id the manifest schema would refuse
 * (with its reason) and a folder that already exists. Returns the files written.
 */
export async function scaffoldModule(options: { modulesDir: string; id: string; coreRange: string }): Promise<string[]> {
  const idCheck = moduleManifestSchema.shape.id.safeParse(options.id);
  if (!idCheck.success) throw new Error(`Module id "${options.id}" ${idCheck.error.issues[0]!.message}.`);
  const dir = path.join(options.modulesDir, options.id);
  if (
    await stat(dir).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`${dir} already exists.`);
  const files = moduleTemplate({ id: options.id, title: titleOf(options.id), coreRange: options.coreRange });
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return Object.keys(files).map((relative) => path.join(dir, relative));
}
