// @ts-check
/**
 * `pnpm test`: every package's tests (`vitest run` in each), in two lanes.
 *
 * The suite is CPU-bound on a two-core machine. Ten vitest processes at once (turbo's default)
 * cost more CPU than the same work in two lanes (measured 2026-12-01, same machine, back to
 * back: 342 against 306 CPU-seconds), and two lanes chosen by turbo can leave the longest suite,
 * the server's HTTP suite with over half of all the work, to start last. So the packages are
 * shared out by their number of test files, largest first, each to the lane with fewer so far:
 * the server's suite gets a lane of its own from the start and the rest take turns in the other.
 * The second lane runs at a lower priority (nice 10), so the critical path gets the machine
 * whenever it can use it and the rest fills the gaps (the server's tests wait on PostgreSQL
 * round trips): measured twice back to back on a busy machine, 199 and 187 s against 217 and
 * 225 s with the second lane at normal priority and one worker per package.
 *
 * Generated code is brought up to date first (`turbo run generate`), as turbo's test task
 * would. Every package runs even after another failed; the exit code says whether any did.
 * `pnpm exec turbo run test` still runs them through turbo, cached per package.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { testedPackages } from "./tested-packages.mjs";

const root = path.resolve(import.meta.dirname, "..");
const lanes = 2;

/** @typedef {import("./tested-packages.mjs").TestedPackage & { testFiles: number }} LanePackage */

/** @param {string} dir */
function countTestFiles(dir) {
  return ["src", "test"]
    .filter((folder) => existsSync(path.join(dir, folder)))
    .flatMap((folder) => readdirSync(path.join(dir, folder), { recursive: true, encoding: "utf8" }))
    .filter((file) => file.endsWith(".test.ts") && !file.includes("node_modules")).length;
}

/**
 * Runs `command` in `cwd` at `priority` (a nice value; its workers inherit it), each output line
 * prefixed with `label` as turbo does.
 * @param {string} label @param {string} command @param {string[]} args @param {string} cwd
 * @param {number} [priority]
 * @returns {Promise<number>} the exit code (1 when it died of a signal)
 */
function run(label, command, args, cwd, priority = 0) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    try {
      if (priority && child.pid) os.setPriority(child.pid, priority);
    } catch {
      // Gone already, or a system without priorities: it only costs speed.
    }
    for (const stream of [child.stdout, child.stderr]) {
      let partial = "";
      stream.setEncoding("utf8");
      stream.on("data", (/** @type {string} */ chunk) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) process.stdout.write(`${label}: ${line}\n`);
      });
      stream.on("end", () => {
        if (partial) process.stdout.write(`${label}: ${partial}\n`);
      });
    }
    child.on("close", (code) => resolve(code ?? 1));
  });
}

const generated = await run(
  "generate",
  path.join(root, "node_modules/.bin/turbo"),
  ["run", "generate", "--output-logs=errors-only"],
  root,
);
if (generated !== 0) process.exit(generated);

/** @type {LanePackage[][]} */
const plan = Array.from({ length: lanes }, () => []);
const load = (/** @type {LanePackage[]} */ lane) => lane.reduce((sum, p) => sum + p.testFiles, 0);
const packages = testedPackages(root).map((pkg) => ({ ...pkg, testFiles: countTestFiles(pkg.dir) }));
for (const pkg of packages.sort((a, b) => b.testFiles - a.testFiles)) {
  plan.reduce((least, lane) => (load(lane) < load(least) ? lane : least)).push(pkg);
}

/** @type {string[]} */
const failed = [];
await Promise.all(
  plan.map(async (lane, index) => {
    // The first lane holds the critical path; the others fill the time it leaves (below the
    // first lane's priority), and take both cores once it is done.
    const priority = index === 0 ? 0 : 10;
    for (const pkg of lane) {
      const code = await run(`${pkg.name}:test`, path.join(pkg.dir, "node_modules/.bin/vitest"), ["run"], pkg.dir, priority);
      if (code !== 0) failed.push(pkg.name);
    }
  }),
);
if (failed.length > 0) {
  console.log(`tests failed in: ${failed.join(", ")}`);
  process.exitCode = 1;
}
