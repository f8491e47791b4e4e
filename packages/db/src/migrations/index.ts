export {
  applyMigrations,
  createMigration,
  diffMigrationsToSchema,
  migrationStatus,
  resetDatabase,
  MigrationFailedError,
  type MigrationStatus,
} from "./migrator.ts";
export { type SchemaLocation } from "./migration-files.ts";
export { migrationLockKey, withMigrationLock, type MigrationLockEvents } from "./migration-lock.ts";
export { type LockHolder } from "./advisory-locks.ts";
export { findWorkspaceLayout, WorkspaceLayoutError, type WorkspaceLayout } from "../workspace-layout.ts";
export { migrationNamesOnDisk, missingMigrations } from "./readiness.ts";
export { keptMigratedCluster } from "./migrated-cluster.ts";
