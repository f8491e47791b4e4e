import { Agent, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuPerRequest, type RunResult, type Target } from "./load.ts";
import { processCpuMs } from "./process-cpu.ts";

/**
 * A fixed arrival rate, evenly paced: request i is due at start + i/rate, whatever happened to the
 * ones before it, over at most `connections` keep-alive connections. Latency counts from the due
 * time, so a request that waited for a free connection is charged for the wait (no coordinated
 * omission). Why not autocannon's `overallRate`: it lets each connection send its whole quota for
 * a second back-to-back at the start of that second, a burst at peak speed every second, so its
 * p99 is a peak-load p99 rather than the p99 of a server that is half busy.
 */
export async function pacedLoad(
  target: Target,
  settings: { rate: number; duration: number; connections: number },
): Promise<RunResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: settings.connections });
  const headers = await target.headers();
  const url = new URL(target.url);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (due: number) => {
    const done = new Promise<void>((resolve) => {
      const req = request(url, { agent, headers, timeout: 10_000 }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - due);
          if (res.statusCode! >= 200 && res.statusCode! < 300) ok += 1;
          else non2xx += 1;
          resolve();
        });
        res.on("error", () => {
          errors += 1;
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => {
        errors += 1;
        resolve();
      });
      req.end();
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const total = Math.round(settings.rate * settings.duration);
  const interval = 1000 / settings.rate;
  const cpuBefore = processCpuMs(target.pid);
  const start = performance.now();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    for (; sent < due; sent++) send(start + sent * interval);
    await sleep(1);
  }
  await Promise.all(inFlight);
  agent.destroy();
  const cpuMs = cpuPerRequest(cpuBefore, processCpuMs(target.pid), latencies.length);

  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: ok / settings.duration, p50: at(0.5), p99: at(0.99), non2xx, errors, cpuMs };
}
