import autocannon from "autocannon";
import { pacedLoad } from "./paced-load.ts";

/** One read over one transport on one server: what autocannon is pointed at. */
export interface Target {
  read: string;
  /** `hand-written`, `REST`, `tRPC`, and `REST@other`, `tRPC@other` for another checkout. */
  transport: string;
  url: string;
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
}

export interface LoadSettings {
  connections: number;
  duration: number;
}

/** As many requests as `connections` closed-loop clients can get answered (autocannon). */
export async function runLoad(target: Target, settings: LoadSettings): Promise<RunResult> {
  const result = await autocannon({
    url: target.url,
    headers: await target.headers(),
    connections: settings.connections,
    duration: settings.duration,
  });
  return {
    rps: result["2xx"] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Every target once per round, rounds interleaved (and the order rotated each round), so a noisy
 * moment on the shared machine hits every target of a round alike rather than one target's runs.
 * A short warm-up first: JIT, pools and caches filled before anything counts.
 */
export async function interleavedRounds(
  targets: Target[],
  rounds: number,
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<Map<Target, RunResult[]>> {
  for (const target of targets) await runLoad(target, { ...settings, duration: Math.min(2, settings.duration) });
  const results = new Map<Target, RunResult[]>(targets.map((t) => [t, []]));
  for (let round = 0; round < rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    const line: string[] = [];
    for (const target of order) {
      const result = await runLoad(target, settings);
      results.get(target)!.push(result);
      line.push(`${label(target)} ${result.rps.toFixed(0)}/s`);
    }
    log(`  round ${round + 1}/${rounds}: ${line.join(", ")}`);
  }
  return results;
}

/** p99 at a fixed, sustainable, evenly paced rate: half of each target's own measured peak. */
export async function halfLoadP99(
  targets: Target[],
  peaks: Map<Target, number>,
  settings: LoadSettings,
): Promise<Map<Target, RunResult>> {
  const results = new Map<Target, RunResult>();
  for (const target of targets) {
    results.set(target, await pacedLoad(target, { ...settings, rate: peaks.get(target)! / 2 }));
  }
  return results;
}

export const label = (t: Target) => `${t.read} ${t.transport}`;
