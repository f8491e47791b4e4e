import type { Database } from "@tenantry/db";
import { applyMigrations, migrationStatus, withMigrationLock } from "@tenantry/db/migrations";
import type { PasswordHasher } from "@tenantry/auth";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import { seedPlatform } from "./seed-platform.ts";
import { StartupError } from "./startup-error.ts";

/**
 * Development and test databases are migrated and seeded on start. Production never changes
 * its schema by itself: pending migrations stop the start with the command to run. Instances
 * starting together take turns under the migration lock, so the history is read only when no
 * other instance is changing it, and one instance migrates while the rest wait for it.
 */
export async function prepareDatabase(db: Database, config: Config, logger: Logger, passwords: PasswordHasher) {
  await withMigrationLock(
    db,
    async () => {
      const status = await migrationStatus(db, config.schema);
      if (status.inProgress.length > 0) {
        // Only a process that skips the migration lock gets here (e.g. `prisma migrate deploy`).
        throw new StartupError(
          `Migration ${status.inProgress.join(", ")} is being applied right now by another process. ` +
            "Start again once it has finished.",
        );
      }
      if (status.failed.length > 0) {
        throw new StartupError(
          `Migration ${status.failed.join(", ")} failed earlier and was rolled back. Fix it, mark it ` +
            "rolled back (`prisma migrate resolve --rolled-back <name>`) and run `pnpm db:migrate`.",
        );
      }
      if (status.pending.length > 0) {
        if (config.env === "production") {
          throw new StartupError(
            `The database has ${status.pending.length} pending migration(s): ${status.pending.join(", ")}. ` +
              "Run `pnpm db:migrate` (in an image or a build: `node apps/server/dist/db.js migrate`) before starting the server.",
          );
        }
        const applied = await applyMigrations(db, config.schema);
        logger.info({ applied }, "applied pending migrations");
      }
      // From here on the application runs as the role row-level security applies to.
      await db.enterAppRole();
      // The seed's upserts read, then write: instances seeding a fresh database at once collide.
      if (config.env !== "production") await seedPlatform(db, config, passwords);
    },
    {
      waiting: (holder) =>
        logger.info({ holder }, "waiting for another instance to finish migrating the database (it holds the migration lock)"),
      acquired: (waitedMs) => logger.info({ waitedMs }, "got the migration lock"),
    },
  );
}
