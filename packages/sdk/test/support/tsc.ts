import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const tscPath = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");

/** Runs the workspace's own `tsc` on a project; returns its exit code and what it printed. */
export function runTsc(project: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [tscPath, "-p", project], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
