import type {
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

/** One open database, whichever backend: what the Prisma client and the migrator need. */
export interface DatabaseConnection {
  kind: "pglite" | "postgres";
  /** For the Prisma client. */
  adapter: SqlDriverAdapterFactory;
  /** For the schema engine: scripts run whole and their errors surface. */
  migrationAdapter(): SqlMigrationAwareDriverAdapterFactory;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
