import type { Logger } from "pino";

/**
 * For failures that repeat (a pool losing connections, Redis refusing publishes, a readiness
 * probe every few seconds): the first of each cause is logged at once, repeats of it only once
 * per `intervalMs`, with how many there were. A cause is the error's code, else its message.
 */
export function logOncePerCause(logger: Logger, level: "warn" | "error", message: string, intervalMs = 60_000) {
  const seen = new Map<string, { loggedAt: number; repeats: number }>();
  return (error: unknown): void => {
    const e = error as { code?: unknown; message?: unknown } | undefined;
    const cause = String(e?.code ?? e?.message ?? error);
    const now = Date.now();
    const entry = seen.get(cause);
    if (entry && now - entry.loggedAt < intervalMs) {
      entry.repeats += 1;
      return;
    }
    logger[level]({ err: error, ...(entry?.repeats ? { repeatsSinceLastLog: entry.repeats } : {}) }, message);
    seen.set(cause, { loggedAt: now, repeats: 0 });
  };
}
