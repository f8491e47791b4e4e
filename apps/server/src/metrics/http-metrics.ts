import type { RequestHandler } from "express";
import type { RequestLabels } from "./request-labels.ts";
import type { ServerMetrics } from "./server-metrics.ts";

/** Set by the edge (`refuse`) on a request it refused, so the metrics can count it by code. */
export interface RefusalNote {
  refusedWith?: string;
}

/**
 * Counts and times every request, labelled by transport, procedure and status class; a client
 * that leaves before the answer is counted as `aborted`. The labels are worked out from the URL
 * when the request ends, after everything else has run.
 */
export function httpMetrics(metrics: ServerMetrics, label: (method: string, url: string) => RequestLabels): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once("close", () => {
      const statusClass = res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : "aborted";
      metrics.request(label(req.method, req.originalUrl), statusClass, (performance.now() - started) / 1000);
      const refusedWith = (res.locals as RefusalNote).refusedWith;
      if (refusedWith) metrics.edgeRefusal(refusedWith);
    });
    next();
  };
}
