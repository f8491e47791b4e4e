import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * `pnpm openapi:lint`: writes the document the server serves, then runs Redocly (its recommended
 * rules) and Spectral (`spectral:oas` plus openapi/spectral.yaml). Fails on any finding, warnings
 * included: Redocly's exit status counts only errors, so both report as JSON and are counted here.
 */
const root = path.resolve(import.meta.dirname, "../../..");
const document = path.join(root, "openapi", "openapi.json");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (!result.stdout.trim()) throw new Error(`${path.basename(command)} printed nothing:\n${result.stderr}`);
  return result.stdout;
}

run(bin("tsx"), [path.join(root, "packages/api/scripts/write-openapi.ts"), document]);

interface RedoclyReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}
const redocly = JSON.parse(
  run(bin("redocly"), ["lint", "--config", "openapi/redocly.yaml", "--format=json", document]),
) as RedoclyReport;

interface SpectralResult {
  code: string;
  severity: number;
  message: string;
  path: string[];
}
const spectral = JSON.parse(
  run(bin("spectral"), ["lint", "-r", "openapi/spectral.yaml", "-f", "json", "--quiet", document]),
) as SpectralResult[];

const findings = [
  ...redocly.problems.map((p) => `redocly ${p.severity} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ""})`),
  ...spectral.map(
    (r) => `spectral ${["error", "warning", "info", "hint"][r.severity]} ${r.code}: ${r.message} (${r.path.join(".")})`,
  ),
];
for (const finding of findings) console.log(finding);
console.log(
  `openapi lint: redocly ${redocly.totals.errors} errors, ${redocly.totals.warnings} warnings; ` +
    `spectral ${spectral.filter((r) => r.severity === 0).length} errors, ${spectral.filter((r) => r.severity > 0).length} warnings and hints`,
);
process.exitCode = findings.length === 0 ? 0 : 1;
