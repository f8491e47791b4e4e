import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { demoTenantSlug, openDatabase, type Database } from "@tenantry/db";
import {
  applyMigrations,
  migrationNamesOnDisk,
  migrationStatus,
  missingMigrations,
  withMigrationLock,
} from "@tenantry/db/migrations";
import type { Logger } from "pino";
import {
  compiledModules,
  moduleDefinitions,
  purgeExpiredAuthRecords,
  purgeIntervalMs,
  manualBilling,
  systemTxtResolver,
  TenantResolver,
  type BillingProvider,
  type TenancyRuntime,
  type TxtResolver,
} from "@tenantry/api";
import type { PasswordHasher } from "@tenantry/auth";
import { loadModuleManifests, ManifestError, seedModuleDemoData, syncModuleRegistry } from "@tenantry/module-runtime";
import { createApp } from "./app.ts";
import { closeGracefully } from "./graceful-close.ts";
import { trackDrain } from "./http/drain.ts";
import { createAuthRuntime, passwordHasherFor } from "./build-auth-runtime.ts";
import { logOncePerCause } from "./log-once.ts";
import { seedPlatform } from "./seed-platform.ts";
import { redisInvalidationBus } from "./cache-invalidation-bus.ts";
import { connectRedis, firstConnection } from "./redis.ts";
import type { Config } from "./config.ts";
import { serverVersion } from "./version.ts";

/** Start-up refused for a reason the operator must fix; the message says how. */
export class StartupError extends Error {
  override name = "StartupError";
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  server: Server;
  db: Database;
  /** The purge of expired auth records started with the server; settles when it has run. */
  startupPurge: Promise<void>;
  /**
   * Drains (`/ready` 503, still serving for `config.shutdown.drainMs`), stops accepting, lets the
   * requests received finish (up to the timeout), closes the database.
   */
  close(): Promise<void>;
}

/**
 * Development and test databases are migrated and seeded on start. Production never changes
 * its schema by itself: pending migrations stop the start with the command to run. Instances
 * starting together take turns under the migration lock, so the history is read only when no
 * other instance is changing it, and one instance migrates while the rest wait for it.
 */
async function prepareDatabase(db: Database, config: Config, logger: Logger, passwords: PasswordHasher) {
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
              "Run `pnpm db:migrate` (or `prisma migrate deploy`) before starting the server.",
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

/** Parts a test (or an embedding) may replace: the DNS resolver and the billing provider. */
export interface ServerOverrides {
  dns?: TxtResolver;
  billing?: BillingProvider;
}

/**
 * Validates every module manifest and makes the registry match the disk. An invalid manifest
 * stops the start with the file, the field and the reason.
 */
async function syncModules(db: Database, config: Config, logger: Logger) {
  const modules = await loadModuleManifests(config.modulesDir, serverVersion).catch((error: unknown) => {
    if (error instanceof ManifestError) throw new StartupError(`Invalid module manifest: ${error.message}`);
    throw error;
  });
  // Module routers are compiled in from the generated map; serving a module the map lacks (or
  // an older version of one) would disagree with the registry and the OpenAPI document.
  const onDisk = modules.map((m) => `${m.manifest.id}@${m.manifest.version}`).join(", ") || "none";
  const compiled =
    compiledModules()
      .map((m) => `${m.id}@${m.version}`)
      .join(", ") || "none";
  if (onDisk !== compiled) {
    throw new StartupError(
      `The generated module map does not match ${config.modulesDir} (on disk: ${onDisk}; compiled in: ${compiled}). ` +
        "Run `pnpm modules:generate` (and `pnpm install` if it says so), then start again.",
    );
  }
  const synced = await syncModuleRegistry(
    db.prisma,
    modules.map((m) => m.manifest),
  );
  logger.info({ modules: modules.map((m) => `${m.manifest.id}@${m.manifest.version}`), ...synced }, "module registry synced");
}

export async function startServer(config: Config, logger: Logger, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const db = await openDatabase({
    ...config.database,
    onConnectionError: logOncePerCause(logger, "warn", "database connection lost (the pool reconnects on demand)"),
  });
  const passwords = passwordHasherFor(config);
  try {
    await prepareDatabase(db, config, logger, passwords);
  } catch (error) {
    await db.close();
    throw error;
  }
  try {
    await syncModules(db, config, logger);
  } catch (error) {
    await db.close();
    throw error;
  }
  // Development only: the demo tenant gets each module's demo data (tests start from a bare seed).
  if (config.env === "development") {
    const demo = await seedModuleDemoData(db.prisma, moduleDefinitions, { tenantSlug: demoTenantSlug, log: logger });
    // What was not seeded has been logged, with why, by seedModuleDemoData.
    if (demo.seeded.length > 0) logger.info({ modules: demo.seeded }, "module demo data written for the demo tenant");
  }
  const expectedMigrations = await migrationNamesOnDisk(config.schema);
  const redis = config.redis.url ? connectRedis(config.redis.url, logger) : undefined;
  if (redis) await firstConnection(redis, 3000);
  const invalidations = redis ? redisInvalidationBus(redis, `${config.redis.keyPrefix}tenant-cache`, logger) : undefined;
  const authRuntime = createAuthRuntime(config, logger, redis, passwords);
  const tenancy: TenancyRuntime = {
    resolver: new TenantResolver({
      db: db.prisma,
      platformDomain: config.tenancy.platformDomain,
      ttlMs: config.tenancy.cacheTtlMs,
      bus: invalidations?.bus,
    }),
    dns: overrides.dns ?? systemTxtResolver(),
    billing: overrides.billing ?? manualBilling(),
    platformDomain: config.tenancy.platformDomain,
  };
  const server = createServer();
  const drain = trackDrain(server);
  const app = createApp({
    config,
    logger,
    db: db.prisma,
    auth: authRuntime,
    tenancy,
    readiness: {
      draining: () => drain.draining,
      database: () => db.ping(),
      missingMigrations: () => missingMigrations(db.prisma, expectedMigrations),
    },
  });

  server.on("request", app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  logger.info({ url, database: db.kind }, "server listening");

  // Housekeeping: expired codes and long-ended sessions are deleted hourly (and once now).
  const purge = () =>
    purgeExpiredAuthRecords(db.prisma, new Date()).then(
      (purged) => {
        if (purged.codes || purged.sessions) logger.info({ purged }, "purged expired auth records");
      },
      (error: unknown) => logger.warn({ err: error }, "purging expired auth records failed"),
    );
  const startupPurge = purge();
  const purgeTimer = setInterval(() => void purge(), purgeIntervalMs);
  purgeTimer.unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(purgeTimer);
      await closeGracefully(server, drain, config.shutdown, logger);
      invalidations?.close();
      redis?.disconnect();
      await db.close();
      logger.info("server stopped");
    })();
    return closing;
  };
  return { url, port, server, db, startupPurge, close };
}
