import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const strongSecret = "s".repeat(32);

describe("loadConfig", () => {
  it("has working defaults for development", () => {
    const { config, warnings } = loadConfig({});
    expect(config).toMatchObject({ env: "development", port: 3000, defaultLocale: "en" });
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toMatch(/\.data\/pglite$/);
    expect(warnings).toEqual([]);
  });

  it("names the variable that is invalid", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(() => loadConfig({ DEFAULT_LOCALE: "not a locale" })).toThrow(/DEFAULT_LOCALE/);
  });

  it("refuses a missing or short JWT secret in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET: "short" })).toThrow(/JWT_SECRET.*32 bytes/);
    // 32 bytes, not 32 characters: 11 three-byte characters are 33 bytes.
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET: "€".repeat(11) })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET: strongSecret })).not.toThrow();
  });

  it("warns about wildcard CORS in production only", () => {
    expect(loadConfig({ NODE_ENV: "production", JWT_SECRET: strongSecret, CORS_ORIGINS: "*" }).warnings).toEqual([
      expect.stringContaining("CORS_ORIGINS"),
    ]);
    expect(loadConfig({ CORS_ORIGINS: "*" }).warnings).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: "https://a.test, https://b.test" }).config.corsOrigins).toEqual([
      "https://a.test",
      "https://b.test",
    ]);
  });
});
