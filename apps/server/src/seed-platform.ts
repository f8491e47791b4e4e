import type { PasswordHasher } from "@tenantry/auth";
import { seedDatabase, type Database } from "@tenantry/db";
import type { Config } from "./config.ts";

/**
 * The platform's own rows (plans, content, the admin account, the demo tenant), as development
 * starts and `pnpm db:seed` write them. Idempotent; `SEED_ADMIN_PASSWORD` sets the admin's
 * password only while it has none. Runs as the application role, under row-level security.
 */
export async function seedPlatform(db: Database, config: Config, passwords: PasswordHasher): Promise<void> {
  await seedDatabase(db.prisma, {
    adminEmail: config.seedAdmin.email,
    adminPasswordHash: config.seedAdmin.password ? await passwords.hash(config.seedAdmin.password) : undefined,
  });
}
