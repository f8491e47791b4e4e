import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SchemaLocation } from "./migrations/migration-files.ts";

/**
 * Where the schema, its migrations and the modules live, declared once in the repository
 * root's package.json:
 *
 *     "tenantry": { "schema": "prisma/schema.prisma", "migrations": "prisma/migrations", "modules": "modules" }
 *
 * Tools and the server find it from any folder inside the repository (or a copy of it, such as
 * a container image), so no package hard-codes the repository's shape.
 */
export interface WorkspaceLayout extends SchemaLocation {
  /** The folder of that package.json. */
  root: string;
  modulesDir: string;
}

interface LayoutDeclaration {
  schema?: unknown;
  migrations?: unknown;
  modules?: unknown;
}

export class WorkspaceLayoutError extends Error {
  override name = "WorkspaceLayoutError";
}

/** Walks up from `from` to the first package.json that declares a `tenantry` layout. */
export function findWorkspaceLayout(from: string): WorkspaceLayout {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      const declared = (JSON.parse(readFileSync(manifest, "utf8")) as { tenantry?: LayoutDeclaration }).tenantry;
      if (declared) return layoutOf(dir, declared, manifest);
    }
    if (path.dirname(dir) === dir) {
      throw new WorkspaceLayoutError(
        `No package.json with a "tenantry" layout in ${from} or above it: run this inside the repository.`,
      );
    }
  }
}

function layoutOf(root: string, declared: LayoutDeclaration, manifest: string): WorkspaceLayout {
  const entry = (key: keyof LayoutDeclaration) => {
    const value = declared[key];
    if (typeof value !== "string" || value === "") {
      throw new WorkspaceLayoutError(`${manifest}: "tenantry.${key}" must be a path relative to that file.`);
    }
    return path.resolve(root, value);
  };
  return { root, schemaPath: entry("schema"), migrationsDir: entry("migrations"), modulesDir: entry("modules") };
}
