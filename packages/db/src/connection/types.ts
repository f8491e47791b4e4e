import type { SqlDriverAdapterFactory, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * The role application queries run as (created by the row-level-security migration): it owns
 * no table and cannot bypass row security.
 */
export const APP_ROLE = "tenantry_app";

/** One open database, whichever backend: what the Prisma client and the migrator need. */
export interface DatabaseConnection {
  kind: "pglite" | "postgres";
  /** For the Prisma client. */
  adapter: SqlDriverAdapterFactory;
  /** For the schema engine: scripts run whole and their errors surface. */
  migrationAdapter(): SqlMigrationAwareDriverAdapterFactory;
  /**
   * PGlite: from now on, queries run as the application role (PostgreSQL connections start as
   * that role already). Fails when the role does not exist yet: migrate first.
   */
  enterAppRole(): Promise<void>;
  /**
   * Runs `work` with the owner's rights, handing it an adapter for them. PostgreSQL: a separate
   * owner pool. PGlite, which has one connection: the role is switched around `work`, and the
   * application's queries wait at a gate meanwhile, so none runs with the owner's rights.
   */
  withOwnerRole<T>(work: (ownerAdapter: SqlDriverAdapterFactory) => Promise<T>): Promise<T>;
  /** PGlite only: the whole data folder as a tarball, which `pgliteSnapshot` can start from. */
  dumpDataDir?(): Promise<Blob>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
