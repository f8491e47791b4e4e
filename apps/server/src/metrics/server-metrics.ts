import type { ProcedureObserver, ProcedureOutcome } from "@tenantry/api";
import type { PoolStats } from "@tenantry/db";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { processMetrics } from "./process-metrics.ts";
import type { RequestLabels } from "./request-labels.ts";

const durationBuckets = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The procedures whose outcomes count as sign-ins (by method) and as refreshes. */
const signInProcedures: Record<string, string> = { "auth.email.signIn": "email", "auth.phone.verifyCode": "phone" };
const refreshProcedure = "auth.refresh";

export type CacheName = "tenant_resolver" | "tenant_facts";

/**
 * Every metric one server keeps, in a registry of its own (several servers can share a process),
 * and what records them. Label values are bounded: procedure paths, transports, status classes,
 * app codes, rate-limit rule names; never ids, slugs, addresses or URLs.
 */
export function createServerMetrics() {
  const registry = new Registry();
  const registers = [registry];

  const requests = new Counter({
    name: "tenantry_http_requests_total",
    help: "HTTP requests answered, by transport, procedure and status class.",
    labelNames: ["transport", "procedure", "status_class"],
    registers,
  });
  const requestDuration = new Histogram({
    name: "tenantry_http_request_duration_seconds",
    help: "Time from receiving a request to finishing its response.",
    labelNames: ["transport", "procedure", "status_class"],
    buckets: durationBuckets,
    registers,
  });
  const procedureErrors = new Counter({
    name: "tenantry_procedure_errors_total",
    help: "Procedure calls that failed, by the app code the caller received.",
    labelNames: ["transport", "procedure", "code"],
    registers,
  });
  const edgeRefusals = new Counter({
    name: "tenantry_edge_refusals_total",
    help: "Requests refused before any procedure ran (malformed JSON, too large, ambiguous path, batch too big), by app code.",
    labelNames: ["code"],
    registers,
  });
  const rateLimited = new Counter({
    name: "tenantry_rate_limit_refusals_total",
    help: "Attempts refused by a rate limit, by rule.",
    labelNames: ["rule"],
    registers,
  });
  const signIns = new Counter({
    name: "tenantry_sign_ins_total",
    help: "Sign-in attempts by method and outcome (`success`, or the app code of the refusal).",
    labelNames: ["method", "outcome"],
    registers,
  });
  const refreshes = new Counter({
    name: "tenantry_token_refreshes_total",
    help: "Refresh-token exchanges by outcome (`success`, or the app code of the refusal).",
    labelNames: ["outcome"],
    registers,
  });
  const cacheLookups = new Counter({
    name: "tenantry_tenant_cache_lookups_total",
    help: "Tenant cache lookups: the resolver (host or X-Tenant to tenant) and the facts cache (modules, settings, plan).",
    labelNames: ["cache", "result"],
    registers,
  });
  const queryDuration = new Histogram({
    name: "tenantry_db_query_duration_seconds",
    help: "Time each application statement took, by outcome.",
    labelNames: ["outcome"],
    buckets: durationBuckets,
    registers,
  });

  let poolStats: (() => PoolStats | undefined) | undefined;
  new Gauge({
    name: "tenantry_db_pool_connections",
    help: "PostgreSQL pool: connections in use and idle, and queries waiting for one (absent on the embedded database).",
    labelNames: ["state"],
    registers,
    collect() {
      const stats = poolStats?.();
      if (!stats) return;
      this.set({ state: "in_use" }, stats.total - stats.idle);
      this.set({ state: "idle" }, stats.idle);
      this.set({ state: "waiting" }, stats.waiting);
    },
  });
  new Gauge({
    name: "tenantry_db_pool_max_connections",
    help: "PostgreSQL pool: the most connections it opens (DATABASE_POOL_MAX).",
    registers,
    collect() {
      const stats = poolStats?.();
      if (stats) this.set(stats.max);
    },
  });

  const procedureObserver: ProcedureObserver = {
    procedureFinished({ path, transport, appCode }: ProcedureOutcome) {
      if (appCode) procedureErrors.inc({ transport: transport ?? "in_process", procedure: path, code: appCode });
      const outcome = appCode ?? "success";
      const method = signInProcedures[path];
      if (method) signIns.inc({ method, outcome });
      else if (path === refreshProcedure) refreshes.inc({ outcome });
    },
  };

  return {
    procedureObserver,
    /** `statusClass`: `2xx` … `5xx`, or `aborted` when the client left before the answer. */
    request(labels: RequestLabels, statusClass: string, seconds: number) {
      const all = { ...labels, status_class: statusClass };
      requests.inc(all);
      requestDuration.observe(all, seconds);
    },
    edgeRefusal(code: string) {
      edgeRefusals.inc({ code });
    },
    rateLimited(rule: string) {
      rateLimited.inc({ rule });
    },
    cacheLookup(cache: CacheName) {
      return (hit: boolean) => cacheLookups.inc({ cache, result: hit ? "hit" : "miss" });
    },
    /** A statement started: times it until the returned function is called. */
    query(): (failed: boolean) => void {
      const started = performance.now();
      return (failed) => queryDuration.observe({ outcome: failed ? "error" : "ok" }, (performance.now() - started) / 1000);
    },
    /** Where the pool gauges read from, once the database is open. */
    watchPool(stats: () => PoolStats | undefined) {
      poolStats = stats;
    },
    /** The text a Prometheus scrape receives: this server's metrics and the process's. */
    async exposition(): Promise<{ contentType: string; body: string }> {
      const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return { contentType: registry.contentType, body: `${own}\n${process}` };
    },
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
