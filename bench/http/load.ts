import autocannon from "autocannon";
import { pacedLoad } from "./paced-load.ts";
import { processCpuMs } from "./process-cpu.ts";

/** One read over one transport on one server: what autocannon is pointed at. */
export interface Target {
  read: string;
  /** `hand-written`, `REST`, `tRPC`, and `REST@other`, `tRPC@other` for another checkout. */
  transport: string;
  url: string;
  /** The serving process, whose CPU time per answered request is measured. */
  pid: number;
  /** Called before every run, so a member's token is fresh. */
  headers(): Promise<Record<string, string>>;
}

export interface RunResult {
  /** Successful (2xx) answers per second: a fast error must not count as throughput. */
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** The server's CPU milliseconds per answered request (undefined without /proc). */
  cpuMs: number | undefined;
}

export interface LoadSettings {
  connections: number;
  duration: number;
}

/** As many requests as `connections` closed-loop clients can get answered (autocannon). */
export async function runLoad(target: Target, settings: LoadSettings): Promise<RunResult> {
  const headers = await target.headers();
  const cpuBefore = processCpuMs(target.pid);
  const result = await autocannon({
    url: target.url,
    headers,
    connections: settings.connections,
    duration: settings.duration,
  });
  const cpuAfter = processCpuMs(target.pid);
  return {
    rps: result["2xx"] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuMs: cpuPerRequest(cpuBefore, cpuAfter, result.requests.total),
  };
}

export function cpuPerRequest(before: number | undefined, after: number | undefined, requests: number) {
  return before === undefined || after === undefined || requests === 0 ? undefined : (after - before) / requests;
}

/**
 * Every target once per round, rounds interleaved: within a round each read's targets run back
 * to back (the order rotated from round to round), so a target and the hand-written reference it
 * is divided by ran seconds apart, and a noisy moment on the shared machine does not fall on one
 * target's runs only.
 */
async function interleaved(
  targets: Target[],
  rounds: number,
  run: (target: Target) => Promise<RunResult>,
  show: (result: RunResult) => string,
  log: (line: string) => void,
): Promise<Map<Target, RunResult[]>> {
  const reads = [...new Set(targets.map((t) => t.read))].map((read) => targets.filter((t) => t.read === read));
  const results = new Map<Target, RunResult[]>(targets.map((t) => [t, []]));
  for (let round = 0; round < rounds; round++) {
    for (const group of reads) {
      const line: string[] = [];
      for (const target of group.map((_, i) => group[(i + round) % group.length]!)) {
        const result = await run(target);
        results.get(target)!.push(result);
        line.push(`${target.transport} ${show(result)}`);
      }
      log(`  round ${round + 1}/${rounds}, ${group[0]!.read}: ${line.join(", ")}`);
    }
  }
  return results;
}

/** Peak throughput, after a short warm-up of each target (JIT, pools and caches filled). */
export async function interleavedRounds(
  targets: Target[],
  rounds: number,
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<Map<Target, RunResult[]>> {
  for (const target of targets) await runLoad(target, { ...settings, duration: Math.min(2, settings.duration) });
  return interleaved(
    targets,
    rounds,
    (t) => runLoad(t, settings),
    (r) => `${r.rps.toFixed(0)}/s`,
    log,
  );
}

/** p99 at a fixed, sustainable, evenly paced rate: half of each target's own peak; rounds as above. */
export function halfLoadRounds(
  targets: Target[],
  peaks: Map<Target, number>,
  rounds: number,
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<Map<Target, RunResult[]>> {
  const run = (t: Target) => pacedLoad(t, { ...settings, rate: peaks.get(t)! / 2 });
  return interleaved(targets, rounds, run, (r) => `p99 ${r.p99.toFixed(0)} ms`, log);
}

export const label = (t: Target) => `${t.read} ${t.transport}`;
