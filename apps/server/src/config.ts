import { databaseEnvSchema, databaseOptionsFromEnv, type DatabaseOptions } from "@tenantry/db";
import { z } from "zod";

/**
 * The only place that reads `process.env`. Every variable is listed in `.env.example`.
 * Invalid or missing settings stop the process at start-up with the variable's name.
 */
const envSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public origin of this server, used in the OpenAPI document (e.g. https://api.example.com). */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Comma-separated allowed origins, or `*`. */
  CORS_ORIGINS: z.string().default("http://localhost:5173"),
  /** Largest accepted JSON body, in bytes. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(100 * 1024),
  /** Signs access tokens (used from the accounts issue on); at least 32 bytes in production. */
  JWT_SECRET: z.string().optional(),
  DEFAULT_LOCALE: z.string().default("en"),
  /** How long shutdown waits for in-flight requests before closing their connections. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Express `trust proxy`: hops of reverse proxies in front of the server (0: none). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
});

export interface Config {
  env: "development" | "test" | "production";
  host: string;
  port: number;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  corsOrigins: "*" | string[];
  bodyLimitBytes: number;
  jwtSecret: string | undefined;
  defaultLocale: string;
  shutdownTimeoutMs: number;
  trustProxyHops: number;
  database: DatabaseOptions;
  seedAdminEmail: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): { config: Config; warnings: string[] } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const warnings: string[] = [];
  const corsOrigins =
    e.CORS_ORIGINS.trim() === "*"
      ? ("*" as const)
      : e.CORS_ORIGINS.split(",").map((o) => o.trim()).filter(Boolean);

  if (e.NODE_ENV === "production") {
    if (!e.JWT_SECRET || Buffer.byteLength(e.JWT_SECRET) < 32) {
      throw new ConfigError(
        "Invalid environment:\n  JWT_SECRET: required in production and at least 32 bytes (e.g. `openssl rand -base64 48`)",
      );
    }
    if (corsOrigins === "*") {
      warnings.push("CORS_ORIGINS is `*` in production: any website can call this API from a browser.");
    }
  }
  try {
    Intl.getCanonicalLocales(e.DEFAULT_LOCALE);
  } catch {
    throw new ConfigError(`Invalid environment:\n  DEFAULT_LOCALE: "${e.DEFAULT_LOCALE}" is not a BCP 47 tag`);
  }

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
      jwtSecret: e.JWT_SECRET,
      defaultLocale: Intl.getCanonicalLocales(e.DEFAULT_LOCALE)[0] ?? "en",
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      trustProxyHops: e.TRUST_PROXY_HOPS,
      database: databaseOptionsFromEnv(e),
      seedAdminEmail: e.SEED_ADMIN_EMAIL,
    },
  };
}
