import type { RunResult, Target } from "./load.ts";

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface Row {
  target: Target;
  rps: number;
  /** Median over rounds of (this target's req/s ÷ the hand-written one's in the same round). */
  ratio: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  halfLoadP99: number | undefined;
  /** Median over the peak rounds of the server's CPU ms per answered request. */
  cpuMs: number | undefined;
}

/** One row per target; each read's ratios against that read's hand-written target. */
export function summarize(results: Map<Target, RunResult[]>, halfLoad: Map<Target, RunResult[]>): Row[] {
  const targets = [...results.keys()];
  return targets.map((target) => {
    const runs = results.get(target)!;
    const half = halfLoad.get(target) ?? [];
    const reference = targets.find((t) => t.read === target.read && t.transport === "hand-written");
    const referenceRuns = reference ? results.get(reference)! : runs;
    return {
      target,
      rps: median(runs.map((r) => r.rps)),
      ratio: median(runs.map((r, i) => r.rps / referenceRuns[i]!.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      non2xx: [...runs, ...half].reduce((sum, r) => sum + r.non2xx, 0),
      errors: [...runs, ...half].reduce((sum, r) => sum + r.errors, 0),
      halfLoadP99: half.length ? median(half.map((r) => r.p99)) : undefined,
      cpuMs: runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => r.cpuMs!)) : undefined,
    };
  });
}

/** A plain-text table, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const ms = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(value < 10 ? 2 : 1));

export function formatRows(rows: Row[]): string {
  return table(
    [
      "read",
      "transport",
      "req/s (median)",
      "× hand-written",
      "p50 ms",
      "p99 ms",
      "non-2xx",
      "errors",
      "p99 ms @ ½ peak (paced)",
      "server CPU ms/req",
    ],
    rows.map((r) => [
      r.target.read,
      r.target.transport,
      r.rps.toFixed(0),
      r.ratio.toFixed(2),
      ms(r.p50),
      ms(r.p99),
      String(r.non2xx),
      String(r.errors),
      ms(r.halfLoadP99),
      ms(r.cpuMs),
    ]),
  );
}

/**
 * The CI guard: only ratios against the hand-written reference of the same run, never absolute
 * times, and only this checkout's targets. Any non-2xx answer fails too (a broken read is fast).
 */
export function guardFailures(rows: Row[], minRatio: number): string[] {
  return rows
    .filter((r) => !r.target.transport.includes("@"))
    .flatMap((r) => [
      ...(r.target.transport !== "hand-written" && r.ratio < minRatio
        ? [`${r.target.read} ${r.target.transport}: ${r.ratio.toFixed(2)}× < ${minRatio}×`]
        : []),
      ...(r.non2xx + r.errors > 0 ? [`${r.target.read} ${r.target.transport}: ${r.non2xx} non-2xx, ${r.errors} errors`] : []),
    ]);
}
