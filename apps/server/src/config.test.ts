import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const strongSecret = "s".repeat(32);
/** What production needs besides the variable under test. */
const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://tenantry@db.internal:5432/tenantry",
  REDIS_URL: "redis://cache.internal:6379",
  JWT_SECRET: strongSecret,
  SMS_PROVIDER: "twilio",
  TWILIO_ACCOUNT_SID: "AC123",
  TWILIO_AUTH_TOKEN: "token",
  TWILIO_FROM: "+15005550006",
  MAIL_PROVIDER: "smtp",
  SMTP_HOST: "smtp.internal",
};

describe("loadConfig", () => {
  it("has working defaults for development", () => {
    const { config, warnings } = loadConfig({});
    expect(config).toMatchObject({ env: "development", port: 3000, defaultLocale: "en" });
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toMatch(/\.data\/pglite$/);
    expect(config.sms.provider).toBe("console");
    expect(Buffer.byteLength(config.jwt.secret)).toBeGreaterThanOrEqual(32);
    expect(warnings).toEqual([expect.stringContaining("JWT_SECRET is not set")]);
  });

  it("names the variable that is invalid", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(() => loadConfig({ DEFAULT_LOCALE: "not a locale" })).toThrow(/DEFAULT_LOCALE/);
    for (const ttl of ["0", "-5", "1.5", "86401", "soon"]) {
      expect(() => loadConfig({ JWT_ACCESS_TTL_SECONDS: ttl }), ttl).toThrow(/JWT_ACCESS_TTL_SECONDS/);
    }
    expect(loadConfig({ JWT_ACCESS_TTL_SECONDS: "60" }).config.jwt.accessTtlSeconds).toBe(60);
    expect(loadConfig({}).config.jwt.accessTtlSeconds).toBe(900);
  });

  it("allows the test work factor for password hashing only under NODE_ENV=test", () => {
    expect(loadConfig({ NODE_ENV: "test", PASSWORD_HASHING: "fast-for-tests" }).config.passwordHashing).toBe("fast-for-tests");
    expect(() => loadConfig({ PASSWORD_HASHING: "fast-for-tests" })).toThrow(
      /PASSWORD_HASHING: `fast-for-tests` is only for NODE_ENV=test/,
    );
    expect(() => loadConfig({ ...production, PASSWORD_HASHING: "fast-for-tests" })).toThrow(/PASSWORD_HASHING/);
    expect(loadConfig(production).config.passwordHashing).toBe("standard");
  });

  it("raises the rate limits only under NODE_ENV=test", () => {
    expect(loadConfig({ NODE_ENV: "test", RATE_LIMIT_MULTIPLIER: "100" }).config.rateLimitMultiplier).toBe(100);
    expect(() => loadConfig({ RATE_LIMIT_MULTIPLIER: "100" })).toThrow(
      /RATE_LIMIT_MULTIPLIER: raising every rate limit is only for NODE_ENV=test/,
    );
    expect(() => loadConfig({ ...production, RATE_LIMIT_MULTIPLIER: "2" })).toThrow(/RATE_LIMIT_MULTIPLIER/);
    expect(() => loadConfig({ NODE_ENV: "test", RATE_LIMIT_MULTIPLIER: "0" })).toThrow(/RATE_LIMIT_MULTIPLIER/);
    expect(loadConfig(production).config.rateLimitMultiplier).toBe(1);
  });

  it("refuses a missing or short JWT secret in production", () => {
    expect(() => loadConfig({ ...production, JWT_SECRET: undefined })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, JWT_SECRET: "short" })).toThrow(/JWT_SECRET.*32 bytes/);
    // 32 bytes, not 32 characters: 11 three-byte characters are 33 bytes.
    expect(() => loadConfig({ ...production, JWT_SECRET: "€".repeat(11) })).not.toThrow();
    expect(() => loadConfig(production)).not.toThrow();
  });

  it("refuses the console SMS provider in production and incomplete Twilio settings", () => {
    expect(() => loadConfig({ ...production, SMS_PROVIDER: "console" })).toThrow(/SMS_PROVIDER/);
    expect(() => loadConfig({ SMS_PROVIDER: "twilio", TWILIO_ACCOUNT_SID: "AC1" })).toThrow(
      /TWILIO_AUTH_TOKEN: required.*\n.*TWILIO_FROM: required/,
    );
  });

  it("refuses production without DATABASE_URL unless the embedded database is chosen on purpose", () => {
    expect(() => loadConfig({ ...production, DATABASE_URL: undefined })).toThrow(
      /DATABASE_URL: required in production.*ALLOW_EMBEDDED_DATABASE=true/,
    );
    const embedded = loadConfig({ ...production, DATABASE_URL: undefined, ALLOW_EMBEDDED_DATABASE: "true" });
    expect(embedded.config.database.url).toBeUndefined();
    // Development needs neither.
    expect(loadConfig({}).config.database.url).toBeUndefined();
  });

  it("warns in production when Redis is missing: limits and lockouts stay per process", () => {
    expect(loadConfig({ ...production, REDIS_URL: undefined }).warnings).toEqual([
      expect.stringMatching(/^REDIS_URL is not set/),
    ]);
    expect(loadConfig(production).warnings).toEqual([]);
  });

  it("reports every problem of the environment at once", () => {
    let message = "";
    try {
      loadConfig({
        NODE_ENV: "production",
        PORT: "eighty",
        JWT_SECRET: "short",
        SMS_PROVIDER: "twilio",
        DEFAULT_LOCALE: "not a locale",
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const variable of [
      "PORT",
      "JWT_SECRET",
      "TWILIO_ACCOUNT_SID",
      "TWILIO_AUTH_TOKEN",
      "TWILIO_FROM",
      "DEFAULT_LOCALE",
      "DATABASE_URL",
    ]) {
      expect(message).toContain(`  ${variable}: `);
    }
  });

  it("warns about wildcard CORS in production only", () => {
    expect(loadConfig({ ...production, CORS_ORIGINS: "*" }).warnings).toEqual([expect.stringContaining("CORS_ORIGINS")]);
    expect(loadConfig({ JWT_SECRET: strongSecret, CORS_ORIGINS: "*" }).warnings).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: "https://a.test, https://b.test" }).config.corsOrigins).toEqual([
      "https://a.test",
      "https://b.test",
    ]);
  });

  it("drains for a few seconds on shutdown, within the shutdown timeout", () => {
    expect(loadConfig({}).config.shutdown).toEqual({ drainMs: 5000, timeoutMs: 10000 });
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: "0" }).config.shutdown.drainMs).toBe(0);
    expect(() => loadConfig({ SHUTDOWN_DRAIN_MS: "20000" })).toThrow(
      /SHUTDOWN_DRAIN_MS: 20000 is longer than SHUTDOWN_TIMEOUT_MS/,
    );
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: "20000", SHUTDOWN_TIMEOUT_MS: "30000" }).config.shutdown.drainMs).toBe(20000);
  });
});
