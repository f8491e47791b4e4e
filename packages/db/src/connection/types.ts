import type { SqlDriverAdapterFactory, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * The role application queries run as (created by the row-level-security migration): it owns
 * no table and cannot bypass row security.
 */
export const APP_ROLE = "tenantry_app";

/** A database session of its own: plain SQL, for state that lasts as long as the session. */
export interface DatabaseSession {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  max: number;
}

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
  /**
   * A session with the owner's rights for session-scoped state such as advisory locks;
   * `name` is what `pg_stat_activity` shows as its application. PostgreSQL: a connection of
   * its own. PGlite has a single session: it hands that one out, and `close()` leaves it open.
   */
  openSession(name: string): Promise<DatabaseSession>;
  /** PGlite only: the whole data folder as a tarball, which `pgliteSnapshot` can start from. */
  dumpDataDir?(): Promise<Blob>;
  /** PostgreSQL: the application pool's connections now (PGlite has one and no pool). */
  poolStats?(): PoolStats;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
