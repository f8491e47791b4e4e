import { Router } from "express";
import type { Logger } from "pino";
import { logOncePerCause } from "../log-once.ts";

export interface ReadinessCheck {
  /** True once shutdown has begun: the instance still serves, but wants no new traffic. */
  draining(): boolean;
  /** Resolves when the database answers; rejects with the reason otherwise. */
  database(): Promise<void>;
  /** Migrations on disk that the database has not applied (empty when ready). */
  missingMigrations(): Promise<string[]>;
}

/**
 * `/health`: the process is alive. `/ready`: it can serve (database up, schema current) and is
 * not shutting down; a load balancer stops sending requests when it answers 503.
 */
export function healthRoutes(readiness: ReadinessCheck, logger: Logger) {
  const routes = Router();
  // Probes come every few seconds: each reason for not being ready is logged once, not per probe.
  const databaseUnreachable = logOncePerCause(logger, "warn", "readiness: database unreachable");
  const migrationsUnknown = logOncePerCause(logger, "warn", "readiness: could not read which migrations are applied");
  routes.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  routes.get("/ready", async (_req, res) => {
    if (readiness.draining()) {
      res
        .status(503)
        .json({ status: "draining", message: "Shutting down: finishing the requests received; send new ones elsewhere." });
      return;
    }
    try {
      await readiness.database();
    } catch (error) {
      databaseUnreachable(error);
      res.status(503).json({ status: "unavailable", checks: { database: "unreachable" } });
      return;
    }
    const missing = await readiness.missingMigrations().catch((error: unknown) => {
      migrationsUnknown(error);
      return null;
    });
    if (missing === null || missing.length > 0) {
      res.status(503).json({
        status: "unavailable",
        checks: { database: "ok", migrations: missing === null ? "unknown" : "pending" },
        ...(missing?.length ? { pendingMigrations: missing } : {}),
      });
      return;
    }
    res.json({ status: "ready", checks: { database: "ok", migrations: "ok" } });
  });
  return routes;
}
