import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestHandler } from "express";
import type { ServerMetrics } from "./server-metrics.ts";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * `GET /metrics` on the API's own port, for a scraper that sends `Authorization: Bearer
 * <METRICS_TOKEN>`; anyone else gets 404, as if there were no such route (the metrics show
 * traffic and error rates, which are nobody else's business).
 */
export function metricsRoute(metrics: ServerMetrics, token: string): RequestHandler {
  const expected = digest(`Bearer ${token}`);
  return async (req, res, next) => {
    if (req.path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) return next();
    const sent = req.headers.authorization;
    if (!sent || !timingSafeEqual(digest(sent), expected)) return next();
    const { contentType, body } = await metrics.exposition();
    res.setHeader("Cache-Control", "no-store");
    res.type(contentType).send(body);
  };
}

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /metrics` on a port of its own (METRICS_PORT) and nothing else there: for a scraper on
 * an internal network that the API's port faces away from. No token is asked for here; keep
 * the port off the public network.
 */
export async function startMetricsListener(metrics: ServerMetrics, host: string, port: number): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found: this port serves GET /metrics only.\n");
      return;
    }
    metrics.exposition().then(
      ({ contentType, body }) => {
        res
          .writeHead(200, { "content-type": contentType, "cache-control": "no-store" })
          .end(req.method === "HEAD" ? undefined : body);
      },
      () => {
        res.writeHead(500, { "content-type": "text/plain" }).end("Collecting the metrics failed.\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
