import { randomBytes } from "node:crypto";
import path from "node:path";
import { databaseEnvSchema, databaseOptionsFromEnv, type DatabaseOptions } from "@tenantry/db";
import { findWorkspaceLayout, type SchemaLocation } from "@tenantry/db/migrations";
import { z } from "zod";
import { checkConfigRules } from "./config-rules.ts";

/**
 * The only place that reads `process.env`. Every variable is listed in `.env.example`.
 * Invalid or missing settings stop the process at start-up with the variable's name.
 */
const envSchema = databaseEnvSchema.extend({
  /** The platform admin the seed creates (development starts and `pnpm db:seed`). */
  SEED_ADMIN_EMAIL: z.email().default("admin@tenantry.local"),
  /** Optional: gives the seeded admin a password (only if it has none yet). */
  SEED_ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public origin of this server, used in the OpenAPI document (e.g. https://api.example.com). */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Comma-separated allowed origins, or `*`. */
  CORS_ORIGINS: z.string().default("http://localhost:5173"),
  /** Largest accepted JSON body, in bytes. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(100 * 1024),
  /** Deepest nesting of arrays and objects accepted in any JSON input. */
  BODY_MAX_DEPTH: z.coerce.number().int().min(4).max(256).default(32),
  /** Most tRPC calls in one batched request (the SDK batches at most 10). */
  TRPC_MAX_BATCH: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Signs access tokens; one-time-code and history hashing keys are derived from it. At least
   * 32 bytes; required in production (development and test make a random one per process).
   */
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default("tenantry"),
  JWT_AUDIENCE: z.string().min(1).default("tenantry-api"),
  /** How long an access token is valid; clients refresh it with the refresh token. */
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /**
   * `standard`: argon2id at OWASP's baseline. `fast-for-tests`: a tiny work factor for test
   * servers that create thousands of accounts; refused unless NODE_ENV=test.
   */
  PASSWORD_HASHING: z.enum(["standard", "fast-for-tests"]).default("standard"),
  /**
   * Every rate limit's points times this. Only for NODE_ENV=test: a suite that calls one
   * operation hundreds of times as one user (the fuzz suite) raises it; production keeps 1.
   */
  RATE_LIMIT_MULTIPLIER: z.coerce.number().int().min(1).max(100_000).default(1),
  /** `console` logs codes (development only); `twilio` sends them. */
  SMS_PROVIDER: z.enum(["console", "twilio"]).default("console"),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  /** A sender number (E.164) or a Messaging Service SID (`MG…`). */
  TWILIO_FROM: z.string().optional(),
  TWILIO_BASE_URL: z.url().default("https://api.twilio.com"),
  SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** `console` logs messages (development); `smtp` sends them through SMTP_HOST. */
  MAIL_PROVIDER: z.enum(["console", "smtp"]).default("console"),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** `true`: TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  SMTP_SECURE: z.enum(["true", "false"]).default("false"),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** The sender of every message, e.g. `Tenantry <no-reply@example.com>`. */
  MAIL_FROM: z.string().min(3).default("Tenantry <no-reply@tenantry.local>"),
  MAIL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Shared rate-limit store; unset: limits are kept per process. */
  REDIS_URL: z.url().optional(),
  REDIS_KEY_PREFIX: z.string().default("tenantry:"),
  /** Production only: `true` runs production on the embedded database on purpose (one process). */
  ALLOW_EMBEDDED_DATABASE: z.enum(["true", "false"]).optional(),
  /** Tenants are served at `<slug>.<PLATFORM_DOMAIN>`; unset: only custom domains and X-Tenant. */
  PLATFORM_DOMAIN: z
    .string()
    .regex(
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
      "must be a lower-case domain such as tenantry.app",
    )
    .optional(),
  /** Where modules live (`<dir>/<id>/manifest.json`); relative to the repository root. Default: its layout's. */
  MODULES_DIR: z.string().optional(),
  /** How long a resolved tenant is trusted before asking the database again (other instances' changes). */
  TENANT_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** How long a public read of platform content is served from memory without a change heard of. */
  CONTENT_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** Audit events older than this many days are deleted by the hourly purge; 0 keeps them forever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  DEFAULT_LOCALE: z.string().default("en"),
  /**
   * On SIGTERM, how long the listener goes on serving while `/ready` answers 503, so a load
   * balancer takes the instance out before it stops accepting connections.
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(5_000),
  /** From the signal, the longest shutdown takes: connections of requests still running then are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Express `trust proxy`: hops of reverse proxies in front of the server (0: none). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /** Serves Prometheus metrics at `GET /metrics` on this port of HOST alone (keep it off the public network). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * Tracing is off unless an OTLP endpoint is given (or `OTEL_TRACES_EXPORTER=otlp`, which sends
   * to the default local collector); the exporter reads the rest of the standard `OTEL_*`.
   */
  OTEL_SDK_DISABLED: z.enum(["true", "false"]).optional(),
  OTEL_TRACES_EXPORTER: z.enum(["otlp", "none"]).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** Serves `GET /metrics` on the API's port to requests with `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (e.g. `openssl rand -hex 24`)").optional(),
});

/** The repository (or image) the server runs from: schema, migrations and modules. */
const layout = findWorkspaceLayout(import.meta.dirname);

export interface Config {
  env: "development" | "test" | "production";
  host: string;
  port: number;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  corsOrigins: "*" | string[];
  bodyLimitBytes: number;
  bodyMaxDepth: number;
  trpcMaxBatch: number;
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number };
  passwordHashing: "standard" | "fast-for-tests";
  rateLimitMultiplier: number;
  sms:
    | { provider: "console"; timeoutMs: number }
    | { provider: "twilio"; accountSid: string; authToken: string; from: string; baseUrl: string; timeoutMs: number };
  mail:
    | { provider: "console"; from: string }
    | {
        provider: "smtp";
        host: string;
        port: number;
        secure: boolean;
        user: string | undefined;
        password: string | undefined;
        from: string;
        timeoutMs: number;
      };
  redis: { url: string | undefined; keyPrefix: string };
  tenancy: { platformDomain: string | undefined; cacheTtlMs: number };
  contentCacheTtlMs: number;
  /** Days audit events are kept; null: forever. */
  auditRetentionDays: number | null;
  modulesDir: string;
  /** The schema and migrations the database must match (modules' models from `modulesDir`). */
  schema: SchemaLocation;
  defaultLocale: string;
  shutdown: { drainMs: number; timeoutMs: number };
  trustProxyHops: number;
  /** OpenTelemetry tracing over OTLP (the exporter reads its own `OTEL_*` settings). */
  tracing: { enabled: boolean };
  /** Where Prometheus metrics are served; neither set: nowhere. */
  metrics: { port: number | undefined; token: string | undefined };
  database: DatabaseOptions;
  seedAdmin: { email: string; password: string | undefined };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws one ConfigError listing every problem found. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): { config: Config; warnings: string[] } {
  const parsed = envSchema.safeParse(env);
  const { problems, warnings } = checkConfigRules(env);
  if (!parsed.success) problems.unshift(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`Invalid environment:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
  const e = parsed.data;
  const corsOrigins =
    e.CORS_ORIGINS.trim() === "*"
      ? ("*" as const)
      : e.CORS_ORIGINS.split(",")
          .map((o) => o.trim())
          .filter(Boolean);

  const modulesDir = e.MODULES_DIR ? path.resolve(layout.root, e.MODULES_DIR) : layout.modulesDir;
  return {
    warnings,
    config: {
      env: e.NODE_ENV,
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL?.replace(/\/$/, ""),
      logLevel: e.LOG_LEVEL,
      corsOrigins,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      bodyMaxDepth: e.BODY_MAX_DEPTH,
      trpcMaxBatch: e.TRPC_MAX_BATCH,
      jwt: {
        secret: e.JWT_SECRET ?? randomBytes(48).toString("base64url"),
        issuer: e.JWT_ISSUER,
        audience: e.JWT_AUDIENCE,
        accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
      },
      passwordHashing: e.PASSWORD_HASHING,
      rateLimitMultiplier: e.RATE_LIMIT_MULTIPLIER,
      sms:
        e.SMS_PROVIDER === "twilio"
          ? {
              provider: "twilio",
              accountSid: e.TWILIO_ACCOUNT_SID!,
              authToken: e.TWILIO_AUTH_TOKEN!,
              from: e.TWILIO_FROM!,
              baseUrl: e.TWILIO_BASE_URL.replace(/\/$/, ""),
              timeoutMs: e.SMS_TIMEOUT_MS,
            }
          : { provider: "console", timeoutMs: e.SMS_TIMEOUT_MS },
      mail:
        e.MAIL_PROVIDER === "smtp"
          ? {
              provider: "smtp",
              host: e.SMTP_HOST!,
              port: e.SMTP_PORT,
              secure: e.SMTP_SECURE === "true",
              user: e.SMTP_USER,
              password: e.SMTP_PASSWORD,
              from: e.MAIL_FROM,
              timeoutMs: e.MAIL_TIMEOUT_MS,
            }
          : { provider: "console", from: e.MAIL_FROM },
      redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
      tenancy: { platformDomain: e.PLATFORM_DOMAIN, cacheTtlMs: e.TENANT_CACHE_TTL_MS },
      contentCacheTtlMs: e.CONTENT_CACHE_TTL_MS,
      auditRetentionDays: e.AUDIT_RETENTION_DAYS === 0 ? null : e.AUDIT_RETENTION_DAYS,
      modulesDir,
      schema: { schemaPath: layout.schemaPath, migrationsDir: layout.migrationsDir, modulesDir },
      defaultLocale: Intl.getCanonicalLocales(e.DEFAULT_LOCALE)[0] ?? "en",
      shutdown: { drainMs: e.SHUTDOWN_DRAIN_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
      trustProxyHops: e.TRUST_PROXY_HOPS,
      metrics: { port: e.METRICS_PORT, token: e.METRICS_TOKEN },
      tracing: {
        enabled:
          e.OTEL_SDK_DISABLED !== "true" &&
          e.OTEL_TRACES_EXPORTER !== "none" &&
          (e.OTEL_TRACES_EXPORTER === "otlp" ||
            e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ||
            e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined),
      },
      database: databaseOptionsFromEnv(e, layout.root),
      seedAdmin: { email: e.SEED_ADMIN_EMAIL, password: e.SEED_ADMIN_PASSWORD },
    },
  };
}
