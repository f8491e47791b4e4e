import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { readRequiredFolder } from "../read-folder.ts";

/**
 * Module models live in their module's folder (`modules/<id>/prisma/*.prisma`) and are composed
 * with the core schema into the one schema Prisma generates from and migrations diff against.
 *
 * Prisma needs both sides of a relation, so for every module model's `tenant Tenant` field the
 * composer adds the opposite list field to the core `Tenant` model; module authors never edit
 * the core schema. The rules it enforces keep module tables recognisable and tenant-owned:
 * names prefixed by the module id, a `tenant_id` column related to `Tenant`.
 */

/** A module schema the composer refuses; the message names the file and the reason. */
export class ModuleSchemaError extends Error {
  override name = "ModuleSchemaError";
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface ModuleSchemaFile {
  moduleId: string;
  file: string;
  content: string;
}

/** `loyalty-points` → `LoyaltyPoints` (model prefix) and `loyalty_points` (table prefix). */
export function moduleNamePrefixes(moduleId: string) {
  const words = moduleId.split("-");
  return {
    model: words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(""),
    table: `${words.join("_")}_`,
  };
}

/** Every `modules/<id>/prisma/*.prisma`, in a stable order. */
export async function readModuleSchemaFiles(modulesDir: string): Promise<ModuleSchemaFile[]> {
  const modules = await readRequiredFolder(modulesDir, "modules", '"tenantry.modules" in the root package.json, or MODULES_DIR');
  const files: ModuleSchemaFile[] = [];
  for (const entry of modules
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()) {
    const dir = path.join(modulesDir, entry, "prisma");
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".prisma")).sort();
    for (const name of names) {
      const file = path.join(dir, name);
      files.push({ moduleId: entry, file, content: await readFile(file, "utf8") });
    }
  }
  return files;
}

interface Block {
  kind: "model" | "enum" | "other";
  name: string;
  body: string;
}

/** Top-level blocks (`model X { … }`); Prisma blocks do not nest, so brace lines delimit them. */
function blocks(content: string): Block[] {
  const found: Block[] = [];
  const pattern = /^(\w+)\s+(\w+)\s*\{([\s\S]*?)^\}/gm;
  for (const match of content.matchAll(pattern)) {
    const keyword = match[1]!;
    found.push({
      kind: keyword === "model" ? "model" : keyword === "enum" ? "enum" : "other",
      name: match[2]!,
      body: match[3]!,
    });
  }
  return found;
}

/** `ShopCategory` → `shopCategories`: the name of Tenant's list of a module model's rows. */
function listFieldName(model: string) {
  const base = model[0]!.toLowerCase() + model.slice(1);
  if (/[^aeiou]y$/.test(base)) return `${base.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(base)) return `${base}es`;
  return `${base}s`;
}

/** Checks one module file and returns the back-relation fields the core `Tenant` needs. */
function checkModuleFile({ moduleId, file, content }: ModuleSchemaFile): string[] {
  const prefix = moduleNamePrefixes(moduleId);
  const backRelations: string[] = [];
  for (const block of blocks(content)) {
    if (block.kind === "other") {
      throw new ModuleSchemaError(file, `only models and enums belong in a module schema, found "${block.name}"`);
    }
    if (!block.name.startsWith(prefix.model)) {
      throw new ModuleSchemaError(file, `${block.kind} ${block.name}: name must start with ${prefix.model} (the module id)`);
    }
    const map = /@@map\("([^"]+)"\)/.exec(block.body)?.[1];
    if (!map || !map.startsWith(prefix.table)) {
      throw new ModuleSchemaError(
        file,
        `${block.kind} ${block.name}: needs @@map("${prefix.table}…") so its name starts with the module id`,
      );
    }
    if (block.kind === "enum") continue;
    const tenantId = /^\s*tenantId\s+String\s+.*@map\("tenant_id"\).*@db\.Uuid/m.test(block.body);
    const tenantRelations = [...block.body.matchAll(/^\s*(\w+)\s+Tenant\s+@relation\((.*)\)/gm)];
    if (!tenantId || tenantRelations.length !== 1 || !/fields:\s*\[tenantId\]/.test(tenantRelations[0]![2]!)) {
      throw new ModuleSchemaError(
        file,
        `model ${block.name}: module tables are tenant-owned; declare\n` +
          '  tenantId String @map("tenant_id") @db.Uuid\n' +
          "  tenant   Tenant @relation(fields: [tenantId], references: [id], onDelete: Cascade)",
      );
    }
    backRelations.push(`  ${listFieldName(block.name)} ${block.name}[]`);
  }
  return backRelations;
}

/**
 * The core schema with every module's models appended and `Tenant` given the opposite side of
 * their relations. Without modules it is the core schema unchanged.
 */
export function composeSchema(core: string, moduleFiles: ModuleSchemaFile[]): string {
  if (moduleFiles.length === 0) return core;
  const backRelations = moduleFiles.flatMap(checkModuleFile);
  const tenantModel = /^model Tenant \{[\s\S]*?^\}/m.exec(core);
  if (!tenantModel) throw new Error("The core schema has no Tenant model to relate module models to.");
  const tenantEnd = tenantModel.index + tenantModel[0].length - 1;
  const relationLines = `\n  // Module models' tenant relations, added by the schema composer.\n${backRelations.join("\n")}\n`;
  const composed = core.slice(0, tenantEnd) + relationLines + core.slice(tenantEnd);
  const modules = moduleFiles.map((f) => `// ---- ${f.moduleId}: ${path.basename(f.file)} ----\n\n${f.content.trim()}\n`);
  return `${composed.trimEnd()}\n\n${modules.join("\n")}`;
}
