import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";

/** Incoming ids are kept when they look like ids (a proxy's or a client's); otherwise new. */
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (also sent back as `X-Request-Id`) and a child logger bound to it
 * (`req.log`), and logs one line per completed request.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers["x-request-id"];
      const id = typeof incoming === "string" && acceptableRequestId.test(incoming) ? incoming : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    customLogLevel(_req, res, error) {
      // 503 is an outage the server reports as such (the database is away), not a bug.
      if (res.statusCode === 503) return "warn";
      if (error || res.statusCode >= 500) return "error";
      if (res.statusCode >= 400) return "warn";
      return "info";
    },
    // One short line per request: no headers (they carry tokens and cookies) or query echo.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // Probes would drown the log.
    autoLogging: { ignore: (req) => req.url === "/health" || req.url === "/ready" },
  });
}
