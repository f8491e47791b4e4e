import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { testedPackages } from "./scripts/tested-packages.mjs";
import { SlowestFirstSequencer } from "./scripts/slowest-first-sequencer.ts";

/**
 * `pnpm test`: every package's tests in one vitest process, each package a project with its own
 * config (aliases, setup files), all sharing one pool of workers, one per core.
 *
 * The suite is CPU-bound on a two-core machine. One process per package, even in two lanes of
 * one package at a time, paid a vitest start-up per package and left a core idle at the end
 * while the last lane finished; one shared pool keeps both cores on the suite's files to the
 * last one, started slowest first (see the sequencer). Measured 2026-12-02, same machine:
 * 228 and 248 s in two lanes, 167 s in one process.
 *
 * `pnpm --filter <package> test` still runs one package with its own config (and turbo's
 * `test` task, cached per package, runs them that way).
 */
export default defineConfig({
  test: {
    // The packages with a `test` script, as `.ci/sum-test-results.mjs` counts them.
    projects: testedPackages(import.meta.dirname).map(({ dir }) => path.join(dir, "vitest.config.ts")),
    maxWorkers: availableParallelism(),
    sequence: { sequencer: SlowestFirstSequencer },
    // One report for the whole run: `.ci/sum-test-results.mjs` prints CI's total from it.
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
  },
});
