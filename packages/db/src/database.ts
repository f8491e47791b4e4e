import type { DatabaseOptions } from "./config.ts";
import { connectPglite } from "./connection/pglite.ts";
import { connectPostgres } from "./connection/postgres.ts";
import { timedAdapterFactory } from "./connection/timed-adapter.ts";
import type { DatabaseConnection } from "./connection/types.ts";
import { toDomainError } from "./errors.ts";
import { PrismaClient } from "./generated/prisma/client.ts";

function createPrisma(connection: DatabaseConnection) {
  // Every query's known failures (unique, foreign key, not found) become domain errors here,
  // once, instead of being decoded by each service. `minimal` errors: otherwise every query
  // captures a stack (new Error()) to print a code frame should it fail, ~1% of the CPU of the
  // HTTP test suite, for a frame a failure's own stack trace already shows.
  return new PrismaClient({ adapter: connection.adapter, errorFormat: "minimal" }).$extends({
    name: "domain-errors",
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          throw toDomainError(error);
        }
      },
    },
  });
}

export type DbClient = ReturnType<typeof createPrisma>;

/** An open database: the Prisma client plus what migrations and health checks need. */
export interface Database extends DatabaseConnection {
  /** Runs as the application role once `enterAppRole()` ran (PostgreSQL: always). */
  prisma: DbClient;
  /**
   * A client with the owner's rights, past row-level security: migrations, maintenance, tests.
   * Never on a request path; the name is meant to stand out in review.
   */
  withOwner<T>(work: (owner: DbClient) => Promise<T>): Promise<T>;
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite in `dataDir`. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const connection = options.url
    ? await connectPostgres({
        url: options.url,
        poolMax: options.poolMax,
        statementTimeoutMs: options.statementTimeoutMs,
        onConnectionError: options.onConnectionError,
      })
    : await connectPglite(options.dataDir, options.pgliteSnapshot, options.pglite);
  const prisma = createPrisma(
    options.onQuery ? { ...connection, adapter: timedAdapterFactory(connection.adapter, options.onQuery) } : connection,
  );
  let ownerPrisma: DbClient | undefined;
  return {
    ...connection,
    prisma,
    withOwner: (work) =>
      connection.withOwnerRole((ownerAdapter) => {
        ownerPrisma ??= createPrisma({ ...connection, adapter: ownerAdapter });
        return work(ownerPrisma);
      }),
    close: async () => {
      await ownerPrisma?.$disconnect();
      await prisma.$disconnect();
      await connection.close();
    },
  };
}
