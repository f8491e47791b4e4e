/**
 * `pnpm db:seed`: writes the platform's seed rows into the configured database (see
 * seedPlatform), with the server's own configuration. The database must be migrated.
 */
import { openDatabase } from "@tenantry/db";
import { passwordHasherFor } from "../build-auth-runtime.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { seedPlatform } from "../seed-platform.ts";

try {
  const { config } = loadConfig();
  const db = await openDatabase(config.database);
  try {
    await db.enterAppRole();
    await seedPlatform(db, config, passwordHasherFor(config));
  } finally {
    await db.close();
  }
  const where = config.database.url
    ? `PostgreSQL (${new URL(config.database.url).pathname.slice(1)})`
    : `PGlite (${config.database.dataDir})`;
  console.log(`Seeded ${where} (admin: ${config.seedAdmin.email}).`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
