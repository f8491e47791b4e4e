import type { DbClient } from "@tenantry/db";
import type { ModuleManifest } from "@tenantry/module-sdk";

export interface RegistrySync {
  added: string[];
  updated: string[];
  /** In the registry but no longer on disk: kept (tenants keep their data), marked unavailable. */
  unavailable: string[];
}

/** JSON with object keys sorted: jsonb stores keys in its own order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Makes the `modules` table match the manifests on disk: new modules inserted, changed ones
 * updated, missing ones marked unavailable (never deleted). Serialised with a transaction-level
 * advisory lock, so instances starting at the same moment take turns instead of racing.
 */
export async function syncModuleRegistry(db: DbClient, manifests: ModuleManifest[]): Promise<RegistrySync> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`select pg_advisory_xact_lock(hashtext('tenantry.module-registry'))::text`;
      const existing = new Map((await tx.module.findMany()).map((m) => [m.id, m]));
      const result: RegistrySync = { added: [], updated: [], unavailable: [] };
      for (const manifest of manifests) {
        const row = {
          name: manifest.name,
          description: manifest.description,
          version: manifest.version,
          manifest: manifest as object,
          status: "available" as const,
        };
        const current = existing.get(manifest.id);
        if (!current) {
          await tx.module.create({ data: { id: manifest.id, ...row } });
          result.added.push(manifest.id);
        } else if (
          current.status !== "available" ||
          current.version !== manifest.version ||
          canonicalJson(current.manifest) !== canonicalJson(manifest)
        ) {
          await tx.module.update({ where: { id: manifest.id }, data: row });
          result.updated.push(manifest.id);
        }
      }
      const onDisk = new Set(manifests.map((m) => m.id));
      for (const current of existing.values()) {
        if (!onDisk.has(current.id) && current.status === "available") {
          await tx.module.update({ where: { id: current.id }, data: { status: "unavailable" } });
          result.unavailable.push(current.id);
        }
      }
      return result;
    },
    { maxWait: 30_000, timeout: 30_000 },
  );
}
