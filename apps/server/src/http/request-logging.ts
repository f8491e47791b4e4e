import { randomUUID } from "node:crypto";
import { lazyLogger } from "@tenantry/api";
import type { RequestHandler } from "express";
import type { Level, Logger } from "pino";

declare module "node:http" {
  interface IncomingMessage {
    /** This request's id, also sent back as `X-Request-Id`. */
    id: string;
    /** A child logger bound to this request (id, method, url, address), made on first use. */
    log: Logger;
  }
}

/** Incoming ids are kept when they look like ids (a proxy's or a client's); otherwise new. */
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Probes would drown the log. */
const unlogged = new Set(["/health", "/ready"]);

function levelFor(statusCode: number, aborted: boolean): Level {
  // 503 is an outage the server reports as such (the database is away), not a bug.
  if (statusCode === 503) return "warn";
  if (aborted || statusCode >= 500) return "error";
  if (statusCode >= 400) return "warn";
  return "info";
}

/**
 * Gives every request an id (also sent back as `X-Request-Id`) and a logger bound to it
 * (`req.log`), and logs one short line per finished request: id, method, url, address, status,
 * time; no headers (they carry tokens and cookies) and no bodies.
 *
 * Written here rather than with pino-http, which builds a child logger (running its serializers)
 * and hangs three listeners on every request whether or not a line is written; at the default
 * production level (info) that is fine, but at `warn` nearly every line is dropped, and its cost
 * showed up under load (`pnpm bench:http`). Here `req.log` is a lazyLogger: the child is made only
 * when something logs (handing it to the procedures' context costs nothing), and a line the level
 * drops costs a comparison.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers["x-request-id"];
    const id = typeof incoming === "string" && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", id);
    req.id = id;
    req.log = lazyLogger(() =>
      logger.child({ req: { id, method: req.method, url: req.originalUrl, remoteAddress: req.socket.remoteAddress } }),
    );
    if (unlogged.has(req.url)) {
      next();
      return;
    }
    const started = performance.now();
    const finished = () => {
      res.off("finish", finished);
      res.off("close", finished);
      const aborted = !res.writableFinished;
      const level = levelFor(res.statusCode, aborted);
      if (!logger.isLevelEnabled(level)) return;
      const line = { res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) };
      if (aborted) req.log[level](line, "request aborted before the answer was sent");
      else req.log[level](line, "request completed");
    };
    res.on("finish", finished);
    res.on("close", finished);
    next();
  };
}
