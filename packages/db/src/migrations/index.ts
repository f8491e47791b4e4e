export {
  applyMigrations,
  createMigration,
  diffMigrationsToSchema,
  migrationStatus,
  resetDatabase,
  MigrationFailedError,
  type MigrationStatus,
} from "./migrator.ts";
export { defaultSchemaLocation, type SchemaLocation } from "./migration-files.ts";
export { migrationNamesOnDisk, missingMigrations } from "./readiness.ts";
