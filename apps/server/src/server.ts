import type { Tracer } from "@opentelemetry/api";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { demoTenantSlug, openDatabase, type Database } from "@tenantry/db";
import { keptMigratedCluster, migrationNamesOnDisk, missingMigrations } from "@tenantry/db/migrations";
import type { Logger } from "pino";
import {
  moduleDefinitions,
  purgeExpiredRecords,
  purgeIntervalMs,
  manualBilling,
  systemTxtResolver,
  ContentCache,
  TenantFactsCache,
  TenantResolver,
  type BillingProvider,
  type TenancyRuntime,
  type TxtResolver,
} from "@tenantry/api";
import { seedModuleDemoData } from "@tenantry/module-runtime";
import { createApp } from "./app.ts";
import { closeGracefully } from "./graceful-close.ts";
import { startMetricsListener, type MetricsListener } from "./metrics/metrics-endpoint.ts";
import { createServerMetrics } from "./metrics/server-metrics.ts";
import { querySpans } from "./tracing/request-span.ts";
import { ensureContextPropagation, startOtlpTracing } from "./tracing/tracing.ts";
import { trackDrain } from "./http/drain.ts";
import { createAuthRuntime, passwordHasherFor } from "./build-auth-runtime.ts";
import { logOncePerCause } from "./log-once.ts";
import { prepareDatabase } from "./prepare-database.ts";
import { syncModules } from "./sync-modules.ts";
import { redisInvalidationBus } from "./cache-invalidation-bus.ts";
import { connectRedis, firstConnection } from "./redis.ts";
import type { Config } from "./config.ts";
export { StartupError } from "./startup-error.ts";

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  server: Server;
  db: Database;
  /** Where the metrics port serves `GET /metrics` (METRICS_PORT), when it is set. */
  metricsUrl: string | undefined;
  /** The purge of expired auth records started with the server; settles when it has run. */
  startupPurge: Promise<void>;
  /**
   * Drains (`/ready` 503, still serving for `config.shutdown.drainMs`), stops accepting, lets the
   * requests received finish (up to the timeout), closes the database.
   */
  close(): Promise<void>;
}

/** Parts a test (or an embedding) may replace: the DNS resolver, the billing provider, the tracer. */
export interface ServerOverrides {
  dns?: TxtResolver;
  billing?: BillingProvider;
  /** Spans go here instead of to the OTLP exporter the config describes (tests: in memory). */
  tracer?: Tracer;
}

export async function startServer(config: Config, logger: Logger, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const metrics = createServerMetrics();
  const tracing = overrides.tracer
    ? { tracer: overrides.tracer, shutdown: async () => {} }
    : config.tracing.enabled
      ? startOtlpTracing()
      : undefined;
  if (tracing) ensureContextPropagation();
  const traceQuery = tracing ? querySpans(tracing.tracer, "postgresql") : undefined;
  const db = await openDatabase({
    ...config.database,
    // A new embedded database starts migrated when the install kept a cluster for exactly these migrations.
    pgliteSnapshot: config.database.pgliteSnapshot ?? (() => keptMigratedCluster(config.schema)),
    onConnectionError: logOncePerCause(logger, "warn", "database connection lost (the pool reconnects on demand)"),
    onQuery: traceQuery
      ? (sql) => {
          const timed = metrics.query();
          const traced = traceQuery(sql);
          return (failed) => {
            timed(failed);
            traced(failed);
          };
        }
      : () => metrics.query(),
  });
  metrics.watchPool(() => db.poolStats?.());
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
  const authRuntime = createAuthRuntime(config, logger, redis, passwords, metrics.rateLimited);
  const tenancy: TenancyRuntime = {
    resolver: new TenantResolver({
      db: db.prisma,
      platformDomain: config.tenancy.platformDomain,
      ttlMs: config.tenancy.cacheTtlMs,
      bus: invalidations?.bus,
      onLookup: metrics.cacheLookup("tenant_resolver"),
    }),
    facts: new TenantFactsCache({
      ttlMs: config.tenancy.cacheTtlMs,
      bus: invalidations?.bus,
      onLookup: metrics.cacheLookup("tenant_facts"),
    }),
    dns: overrides.dns ?? systemTxtResolver(),
    billing: overrides.billing ?? manualBilling(),
    platformDomain: config.tenancy.platformDomain,
  };
  const contentCache = new ContentCache({ ttlMs: config.contentCacheTtlMs, bus: invalidations?.bus });
  const server = createServer();
  const drain = trackDrain(server);
  const app = createApp({
    config,
    logger,
    db: db.prisma,
    auth: authRuntime,
    tenancy,
    contentCache,
    readiness: {
      draining: () => drain.draining,
      database: () => db.ping(),
      missingMigrations: () => missingMigrations(db.prisma, expectedMigrations),
    },
    metrics,
    tracer: tracing?.tracer,
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
  let metricsListener: MetricsListener | undefined;
  if (config.metrics.port !== undefined) {
    try {
      metricsListener = await startMetricsListener(metrics, config.host, config.metrics.port);
    } catch (error) {
      server.close();
      invalidations?.close();
      authRuntime.mail.close?.();
      redis?.disconnect();
      await db.close();
      throw error;
    }
    logger.info({ url: metricsListener.url }, "metrics listening");
  }

  // Housekeeping: expired codes, long-ended sessions and old audit events are deleted hourly (and once now).
  const purge = () =>
    purgeExpiredRecords(db.prisma, new Date(), { auditRetentionDays: config.auditRetentionDays }).then(
      (purged) => {
        if (purged.codes || purged.sessions || purged.auditEvents) logger.info({ purged }, "purged expired records");
      },
      (error: unknown) => logger.warn({ err: error }, "purging expired records failed"),
    );
  const startupPurge = purge();
  const purgeTimer = setInterval(() => void purge(), purgeIntervalMs);
  purgeTimer.unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(purgeTimer);
      await closeGracefully(server, drain, config.shutdown, logger);
      await metricsListener?.close();
      invalidations?.close();
      authRuntime.mail.close?.();
      redis?.disconnect();
      await db.close();
      await tracing?.shutdown().catch((error: unknown) => logger.warn({ err: error }, "sending the last spans failed"));
      logger.info("server stopped");
    })();
    return closing;
  };
  return { url, port, server, db, startupPurge, close, metricsUrl: metricsListener?.url };
}
