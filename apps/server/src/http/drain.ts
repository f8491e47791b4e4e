import type { Server, ServerResponse } from "node:http";

/**
 * What a server does between SIGTERM and closing its listener. It goes on serving, so the
 * requests already on their way (and those a load balancer sends before it notices) are
 * answered, but every answer from then on carries `Connection: close`: no client keeps a
 * connection open to an instance that is going away.
 */
export interface Drain {
  readonly draining: boolean;
  /** Requests received and not yet answered. */
  readonly unanswered: number;
  /** Starts draining: answers still being prepared, and all later ones, close their connection. */
  start(): void;
}

/** Watches every request `server` receives, so draining can reach those already in flight. */
export function trackDrain(server: Server): Drain {
  const unanswered = new Set<ServerResponse>();
  let draining = false;
  // First in line, before the app: a handler may answer synchronously (`/health` does).
  server.prependListener("request", (_req, res: ServerResponse) => {
    if (draining) res.setHeader("Connection", "close");
    unanswered.add(res);
    res.once("close", () => unanswered.delete(res));
  });
  return {
    get draining() {
      return draining;
    },
    get unanswered() {
      return unanswered.size;
    },
    start() {
      draining = true;
      for (const res of unanswered) {
        if (!res.headersSent) res.setHeader("Connection", "close");
      }
      // Keep-alive connections between requests would otherwise stay open to the end.
      server.closeIdleConnections();
    },
  };
}
