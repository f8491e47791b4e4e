// Sums the vitest JSON reports of a CI run and prints the one total line CI reads:
// `tests: N passed, N failed[, N skipped]`. `pnpm test` writes one report for every package
// (test-results.json at the root, see vitest.config.ts); a package's second run of its suite
// (CI: the server's HTTP suites against the build) writes test-results.build.json beside it.
// @ts-check
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { testedPackages } from "../scripts/tested-packages.mjs";

let passed = 0;
let failed = 0;
let skipped = 0;

const root = process.cwd();
const rootReport = path.join(root, "test-results.json");
const files = existsSync(rootReport) ? add(rootReport) : [];
if (files.length === 0) console.log("no test report from `pnpm test` (test-results.json)");

for (const { dir: absolute } of testedPackages(root)) {
  const dir = path.relative(root, absolute);
  // A package none of whose files ran (its config broke, say) fails CI as missing tests.
  if (!files.some((file) => file.startsWith(absolute + path.sep))) {
    console.log(`no tests of ${dir} ran`);
    failed += 1;
  }
  // A second run of the same suite against the build counts as what it is: more tests.
  const buildReport = path.join(dir, "test-results.build.json");
  if (existsSync(buildReport)) {
    const before = passed + failed;
    add(buildReport);
    console.log(`${dir}: ${passed + failed - before} tests ran again against the build`);
  }
}

/**
 * @typedef {{ name: string; status: string; assertionResults: Array<{ status: string }> }} FileResult
 * @typedef {{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests?: number; testResults: FileResult[] }} Report
 */

/**
 * Adds a report's counts to the totals; returns the test files it names.
 * @param {string} report
 * @returns {string[]}
 */
function add(report) {
  /** @type {Report} */
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that failed with no failed test counts as one failure: it did not load, or a
  // beforeAll or afterAll hook failed (vitest then reports the tests it skipped as skipped).
  failed += r.testResults.filter(
    (f) => f.status === "failed" && !f.assertionResults.some((test) => test.status === "failed"),
  ).length;
  return r.testResults.map((f) => f.name);
}

console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
// The total decides too: a run that exited 0 (one stopped by a signal, say) still fails CI
// when a test failed or a package's tests did not run.
if (failed > 0) process.exitCode = 1;
