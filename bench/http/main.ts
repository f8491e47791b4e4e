/**
 * `pnpm bench:http`: the product's server under HTTP load, against a hand-written Express + Prisma
 * server doing the same two reads on the same database, in the same run.
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test pnpm bench:http     (PostgreSQL)
 *   pnpm bench:http                                                          (embedded PGlite)
 *   BENCH_BACKEND=both · BENCH_DURATION=8 · BENCH_ROUNDS=3 · BENCH_CONNECTIONS=32
 *   BENCH_SCALE=0 (skip the 1,000 vs 1,000,000 step) · BENCH_SCALE_CONNECTIONS=1
 *   BENCH_SERVER_DIR=/path/to/older/checkout   (its server too, side by side; own node_modules)
 *   BENCH_CPU_PROF=/tmp/profiles              (every server writes a V8 CPU profile there on stop)
 *   pnpm bench:http:guard                      (CI: short; exit 1 below BENCH_GUARD_MIN_RATIO)
 * The machine is shared and small, so every figure that matters is a ratio against the
 * hand-written reference measured in the same rounds. Figures only; nothing here is a test.
 */
import { randomBytes } from "node:crypto";
import { prepareEnvironment, type BenchEnvironment } from "./environment.ts";
import { halfLoadRounds, interleavedRounds } from "./load.ts";
import { readOptions, type BenchOptions } from "./options.ts";
import { formatRows, guardFailures, median, summarize } from "./report.ts";
import { scaleStep } from "./scale.ts";
import type { ServerSettings } from "./servers.ts";
import { printStatementCounts } from "./statement-count.ts";
import { checkSameAnswers } from "./targets.ts";

const log = (line: string) => console.log(line);

async function benchBackend(env: BenchEnvironment, options: BenchOptions, settings: ServerSettings): Promise<string[]> {
  await checkSameAnswers(env.targets);
  if (env.backend === "postgres") await printStatementCounts(env, settings, log);

  const load = { connections: options.connections, duration: options.duration };
  log(
    `\n${env.backend}: ${options.rounds} interleaved rounds × ${options.duration} s per target, ${options.connections} connections`,
  );
  const results = await interleavedRounds(env.targets, options.rounds, load, log);
  const peaks = new Map([...results].map(([target, runs]) => [target, median(runs.map((r) => r.rps))]));
  log(`${env.backend}: each target at half its peak rate, evenly paced, ${options.duration} s per run`);
  const halfLoad = await halfLoadRounds(env.targets, peaks, options.rounds, load, log);
  const rows = summarize(results, halfLoad);
  log(
    `\n${env.backend}, Node ${process.version}: req/s, p50, p99 are medians over rounds; × hand-written is the median ` +
      "of per-round ratios to the hand-written req/s; p99 @ ½ peak is the median over rounds of a paced run at half its peak",
  );
  log(formatRows(rows));

  if (options.scale && env.backend === "postgres") await scaleStep(env, options, log);
  else if (options.scale) log(`\n${env.backend}: the 1,000 vs 1,000,000 step runs on PostgreSQL only`);
  return guardFailures(rows, options.guardMinRatio).map((f) => `${env.backend}: ${f}`);
}

async function main() {
  const options = readOptions();
  // One secret for every server of the run, so the member's token works on each of them.
  const settings: ServerSettings = {
    jwtSecret: randomBytes(48).toString("base64url"),
    poolMax: 10,
    cpuProfileDir: options.cpuProfileDir,
  };
  log(
    `bench:http: ${options.backends.join(" and ")}${options.otherServerDir ? `, beside ${options.otherServerDir}` : ""}` +
      (options.guard ? ` (guard: fails below ${options.guardMinRatio}× hand-written)` : ""),
  );
  const failures: string[] = [];
  for (const backend of options.backends) {
    const env = await prepareEnvironment(backend, options, settings, log);
    // Ctrl-C: still stop the servers and drop the bench databases.
    const interrupted = () => void env.close().finally(() => process.exit(130));
    process.once("SIGINT", interrupted);
    try {
      failures.push(...(await benchBackend(env, options, settings)));
    } finally {
      process.off("SIGINT", interrupted);
      await env.close();
    }
  }
  if (options.guard) {
    log(failures.length ? `\nguard FAILED:\n${failures.map((f) => `  ${f}`).join("\n")}` : "\nguard passed");
    if (failures.length) process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
