import { availableParallelism } from "node:os";
import type { ViteUserConfig } from "vitest/config";

/**
 * Settings every package's vitest config starts from. Database tests open PGlite (seconds)
 * and replay migrations, and CI runs every package at once on two cores, so timeouts are
 * generous; benchmarks, not tests, measure speed.
 * A JSON report per package (git-ignored) lets `.ci/run` print one total for the whole repo;
 * it is written on every run, so turbo finds the output it caches.
 */
export const sharedTestConfig: ViteUserConfig["test"] = {
  // Test files of a package share one module graph per worker instead of re-importing (and
  // re-warming the JIT for) the whole server per file: about 40% less CPU for the same tests.
  // Nothing may rely on module state being fresh: every test starts its own server or harness.
  isolate: false,
  // Vitest's default leaves a core idle (cores - 1 workers); the last package still running
  // (the server's HTTP suite) should have the whole machine.
  maxWorkers: availableParallelism(),
  testTimeout: 60_000,
  hookTimeout: 180_000,
  // TEST_RESULTS_FILE names another report, for a second run of a suite (CI: against the build).
  reporters: ["default", ["json", { outputFile: process.env.TEST_RESULTS_FILE ?? "test-results.json" }]],
};
