import type { ViteUserConfig } from "vitest/config";

/**
 * Settings every package's vitest config starts from. Database tests open PGlite (seconds)
 * and replay migrations, and CI runs every package at once on two cores, so timeouts are
 * generous; benchmarks, not tests, measure speed.
 * A JSON report per package (git-ignored) lets `.ci/run` print one total for the whole repo;
 * it is written on every run, so turbo finds the output it caches.
 */
export const sharedTestConfig: ViteUserConfig["test"] = {
  testTimeout: 60_000,
  hookTimeout: 180_000,
  reporters: ["default", ["json", { outputFile: "test-results.json" }]],
};
