import type { Server } from "node:http";
import type { Logger } from "pino";
import type { Drain } from "./http/drain.ts";

export interface ShutdownTimes {
  /** How long the listener goes on serving after shutdown begins (0: it closes at once). */
  drainMs: number;
  /** From the start, the longest it all takes; connections still busy then are cut. */
  timeoutMs: number;
}

/**
 * Drains, then stops accepting and waits for the requests already received. Resolves as soon as
 * the last of them is answered (every connection is told to close, so none lingers idle), or at
 * the timeout, when the connections of requests still running are cut.
 */
export async function closeGracefully(server: Server, drain: Drain, times: ShutdownTimes, logger: Logger): Promise<void> {
  const deadline = setTimeout(() => {
    logger.warn(
      { timeoutMs: times.timeoutMs, unanswered: drain.unanswered },
      "shutdown timeout: cutting the connections of unfinished requests",
    );
    server.closeAllConnections();
  }, times.timeoutMs);
  try {
    drain.start();
    if (times.drainMs > 0) {
      logger.info({ drainMs: times.drainMs, unanswered: drain.unanswered }, "draining: /ready answers 503, still serving");
      await new Promise((resolve) => setTimeout(resolve, times.drainMs));
    }
    logger.info({ unanswered: drain.unanswered }, "no longer accepting connections; finishing the requests received");
    // Resolves once every connection is closed; idle ones are closed now by close() itself.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  } finally {
    clearTimeout(deadline);
  }
}
