// Sums the vitest JSON reports that every package writes under CI (see vitest.shared.ts) and
// prints the one total line CI reads: `tests: N passed, N failed[, N skipped]`.
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { testedPackages } from "../scripts/tested-packages.mjs";

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

for (const { dir: absolute } of testedPackages(process.cwd())) {
  const dir = path.relative(process.cwd(), absolute);
  const report = path.join(dir, "test-results.json");
  if (!existsSync(report)) {
    missing.push(dir);
    continue;
  }
  add(report);
  // A second run of the same suite against the build (see .ci/run) counts as what it is: more tests.
  const buildReport = path.join(dir, "test-results.build.json");
  if (existsSync(buildReport)) {
    const before = passed + failed;
    add(buildReport);
    console.log(`${dir}: ${passed + failed - before} tests ran again against the build`);
  }
}

function add(report) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that failed to load counts as a failure even though no test in it ran.
  failed += r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
}

for (const dir of missing) console.log(`no test report from ${dir} (its tests did not run)`);
failed += missing.length;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
// The total decides too: a run turbo reports as successful (one stopped by a signal, say)
// still fails CI when a test failed or a package's tests did not run.
if (failed > 0) process.exitCode = 1;
