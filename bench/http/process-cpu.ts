import { readFileSync } from "node:fs";

/** Linux's clock ticks per second for /proc times (USER_HZ); 100 on every kernel we run on. */
const ticksPerSecond = 100;

/**
 * CPU time (user + system, all threads) a process has used so far, in milliseconds, from
 * /proc/<pid>/stat; undefined where there is no /proc. CPU per request is the one figure on a
 * shared machine that does not move with the neighbours' load: it says what a request costs,
 * where req/s says how much of the machine the server happened to get.
 */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / ticksPerSecond : undefined;
}
