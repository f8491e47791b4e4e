/**
 * The rules that span several variables, checked on the raw environment so that every problem
 * is reported in one go, together with the ones zod finds in single variables: an operator
 * fixes them all before the next start, not one per start.
 */
export interface ConfigFindings {
  /** `VARIABLE: what is wrong and how to fix it`; any of these stops the start. */
  problems: string[];
  /** Worth an operator's attention, not fatal. */
  warnings: string[];
}

const set = (value: string | undefined) => value !== undefined && value.trim() !== "";

export function checkConfigRules(env: NodeJS.ProcessEnv): ConfigFindings {
  const problems: string[] = [];
  const warnings: string[] = [];
  const production = env.NODE_ENV === "production";

  if (set(env.JWT_SECRET) && Buffer.byteLength(env.JWT_SECRET!) < 32) {
    problems.push("JWT_SECRET: must be at least 32 bytes (e.g. `openssl rand -base64 48`)");
  }
  if (env.PASSWORD_HASHING === "fast-for-tests" && env.NODE_ENV !== "test") {
    problems.push("PASSWORD_HASHING: `fast-for-tests` is only for NODE_ENV=test; leave it unset");
  }
  if (set(env.RATE_LIMIT_MULTIPLIER) && Number(env.RATE_LIMIT_MULTIPLIER) !== 1 && env.NODE_ENV !== "test") {
    problems.push("RATE_LIMIT_MULTIPLIER: raising every rate limit is only for NODE_ENV=test; leave it unset");
  }
  if ((env.SMS_PROVIDER ?? "console") === "twilio") {
    for (const name of ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"]) {
      if (!set(env[name])) problems.push(`${name}: required when SMS_PROVIDER=twilio`);
    }
  }
  if (env.MAIL_PROVIDER === "smtp" && !set(env.SMTP_HOST)) problems.push("SMTP_HOST: required when MAIL_PROVIDER=smtp");
  if (set(env.DEFAULT_LOCALE)) {
    try {
      Intl.getCanonicalLocales(env.DEFAULT_LOCALE);
    } catch {
      problems.push(`DEFAULT_LOCALE: "${env.DEFAULT_LOCALE}" is not a BCP 47 tag`);
    }
  }

  const drainMs = Number(env.SHUTDOWN_DRAIN_MS ?? 5_000);
  const timeoutMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  if (Number.isFinite(drainMs) && Number.isFinite(timeoutMs) && drainMs > timeoutMs) {
    problems.push(
      `SHUTDOWN_DRAIN_MS: ${drainMs} is longer than SHUTDOWN_TIMEOUT_MS (${timeoutMs}), which bounds the whole shutdown; ` +
        "shorten the drain or lengthen the timeout",
    );
  }

  if (production) {
    if (!set(env.JWT_SECRET)) {
      problems.push("JWT_SECRET: required in production and at least 32 bytes (e.g. `openssl rand -base64 48`)");
    }
    if ((env.SMS_PROVIDER ?? "console") === "console") {
      problems.push("SMS_PROVIDER: `console` only logs codes; use `twilio` in production");
    }
    if ((env.MAIL_PROVIDER ?? "console") === "console") {
      problems.push("MAIL_PROVIDER: `console` only logs messages (verification codes); use `smtp` in production");
    }
    if (!set(env.DATABASE_URL) && env.ALLOW_EMBEDDED_DATABASE !== "true") {
      problems.push(
        "DATABASE_URL: required in production (postgresql://…). To run production on the embedded database " +
          "(one process, data in PGLITE_DATA_DIR) on purpose, set ALLOW_EMBEDDED_DATABASE=true",
      );
    }
    if (!set(env.REDIS_URL)) {
      warnings.push(
        "REDIS_URL is not set: rate limits and lockouts are kept per process, and other instances see tenant changes " +
          "only when their cache entries expire. Fine for one instance; set REDIS_URL for more.",
      );
    }
    if (env.CORS_ORIGINS?.trim() === "*") {
      warnings.push("CORS_ORIGINS is `*` in production: any website can call this API from a browser.");
    }
  }
  if (!set(env.JWT_SECRET) && !production) {
    warnings.push("JWT_SECRET is not set: using a random one, so sign-ins do not survive a restart.");
  }
  return { problems, warnings };
}
