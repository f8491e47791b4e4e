import { availableParallelism } from "node:os";
import type { ViteUserConfig } from "vitest/config";

/**
 * Settings every package's vitest config starts from, whether it runs alone
 * (`pnpm --filter <package> test`, turbo's `test` task) or as a project of `pnpm test` (the root
 * vitest.config.ts, which then decides workers and reports for the whole run). The suite shares
 * two cores with PostgreSQL, so timeouts are generous; benchmarks, not tests, measure speed.
 * Run alone, a package writes its own JSON report (git-ignored), the output turbo caches.
 */
export const sharedTestConfig: ViteUserConfig["test"] = {
  // Test files of a package share one module graph per worker instead of re-importing (and
  // re-warming the JIT for) the whole server per file: about 40% less CPU for the same tests.
  // Nothing may rely on module state being fresh: every test starts its own server or harness.
  isolate: false,
  // Vitest's default leaves a core idle (cores - 1 workers). In `pnpm test` every project must
  // say the same as the root (vitest refuses projects with different maxWorkers in one group).
  maxWorkers: availableParallelism(),
  testTimeout: 60_000,
  hookTimeout: 180_000,
  // TEST_RESULTS_FILE names another report, for a second run of a suite (CI: against the build).
  reporters: ["default", ["json", { outputFile: process.env.TEST_RESULTS_FILE ?? "test-results.json" }]],
};
