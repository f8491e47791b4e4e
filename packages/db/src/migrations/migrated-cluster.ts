import { createHash } from "node:crypto";
import { connectPglite } from "../connection/pglite.ts";
import { keepSnapshot, pgliteVersion, readKeptSnapshot, SnapshotBlob } from "../connection/kept-clusters.ts";
import type { DatabaseConnection } from "../connection/types.ts";
import { readMigrationList, type SchemaLocation } from "./migration-files.ts";
import { applyMigrations } from "./migrator.ts";

/**
 * Hash of every migration's name and SQL, of the PGlite version (tarballs are in its format)
 * and of how the cluster is made (`recipe`).
 */
export async function migrationsFingerprint(location: SchemaLocation): Promise<string> {
  const list = await readMigrationList(location);
  const hash = createHash("sha256");
  for (const dir of list.migrationDirectories) {
    hash.update(`${dir.path}\0${dir.migrationFile.content.value}\0`);
  }
  hash.update(pgliteVersion());
  hash.update(recipe);
  return hash.digest("hex").slice(0, 16);
}

/** Change this when `migratedCluster` makes clusters differently: old tarballs must not be reused. */
const recipe = "migrations applied to the 1 MB-WAL empty cluster, template0 and template1 dropped, checkpointed (2)";

/**
 * An embedded database never creates databases (PGlite serves one), so the cluster's template0
 * and template1 only weigh on every copy: without them the tarball is a third smaller and each copy
 * opens ~30% sooner.
 */
async function dropTemplateDatabases(connection: DatabaseConnection): Promise<void> {
  const session = await connection.openSession("migrated cluster");
  try {
    await session.query("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
    await session.query("DROP DATABASE template0");
    await session.query("DROP DATABASE template1");
    await session.query("CHECKPOINT");
  } finally {
    await session.close();
  }
}

const fileName = async (location: SchemaLocation) => `pglite-migrated-${await migrationsFingerprint(location)}.tar`;

/**
 * An embedded cluster with every migration of `location` applied and nothing else, as a
 * `dumpDataDir()` tarball, if one was kept for exactly these migrations (the install makes
 * it). A new development database starts from it instead of replaying the history; after a
 * pull that brings a migration, it starts from the empty cluster and migrates as before.
 */
export async function keptMigratedCluster(location: SchemaLocation): Promise<Blob | undefined> {
  return readKeptSnapshot(await fileName(location));
}

/** That tarball: the kept one, or made now (a few seconds) and kept. Test databases copy it. */
export async function migratedCluster(location: SchemaLocation): Promise<Blob> {
  const name = await fileName(location);
  const kept = await readKeptSnapshot(name);
  if (kept) return kept;
  const connection = await connectPglite("memory://");
  try {
    await applyMigrations(connection, location);
    await dropTemplateDatabases(connection);
    const snapshot = await SnapshotBlob.of(await connection.dumpDataDir!());
    await keepSnapshot(name, snapshot);
    return snapshot;
  } finally {
    await connection.close();
  }
}
