import {
  appRouter,
  createContextFactory,
  createOpenApiDocument,
  headersForErrors,
  restResponseMeta,
  type ApiSettings,
  type AuthRuntime,
  type ContentCache,
  type TenancyRuntime,
  type Transport,
} from "@tenantry/api";
import type { DbClient } from "@tenantry/db";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import type { Tracer } from "@opentelemetry/api";
import cors from "cors";
import express from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { createOpenApiExpressMiddleware } from "trpc-to-openapi";
import type { Config } from "./config.ts";
import { apiDocsRoutes } from "./docs/api-docs.ts";
import { bodyLimit } from "./http/body-limit.ts";
import { emptyJsonBody } from "./http/empty-json-body.ts";
import { errorHandler, notFound } from "./http/errors.ts";
import { healthRoutes, type ReadinessCheck } from "./http/health.ts";
import { jsonInput } from "./http/json-input.ts";
import { refuseAmbiguousPaths } from "./http/path-guard.ts";
import { procedureErrorLogger } from "./http/procedure-errors.ts";
import { trpcBatchLimit } from "./http/trpc-batch-limit.ts";
import { trpcJsonCalls } from "./http/trpc-json-calls.ts";
import { requestLogging } from "./http/request-logging.ts";
import { serverVersion } from "./version.ts";
import { httpMetrics } from "./metrics/http-metrics.ts";
import { metricsRoute } from "./metrics/metrics-endpoint.ts";
import { requestLabeller } from "./metrics/request-labels.ts";
import type { ServerMetrics } from "./metrics/server-metrics.ts";
import { requestSpans } from "./tracing/request-span.ts";

export interface AppDependencies {
  config: Config;
  logger: Logger;
  db: DbClient;
  auth: AuthRuntime;
  tenancy: TenancyRuntime;
  contentCache: ContentCache;
  readiness: ReadinessCheck;
  metrics: ServerMetrics;
  /** Set when tracing is on. */
  tracer: Tracer | undefined;
}

export const restBasePath = "/api/v1";

/** The Express app: transport only. Every route below `/trpc` and `/api/v1` is a procedure. */
export function createApp({ config, logger, db, auth, tenancy, contentCache, readiness, metrics, tracer }: AppDependencies) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxyHops);

  app.use(requestLogging(logger));
  const labelRequest = requestLabeller(appRouter, restBasePath);
  app.use(httpMetrics(metrics, labelRequest));
  if (tracer) app.use(requestSpans(tracer, labelRequest));
  app.use(helmet());
  app.use(
    cors({
      origin: config.corsOrigins === "*" ? "*" : config.corsOrigins,
      exposedHeaders: ["X-Request-Id", "Retry-After"],
      maxAge: 600,
    }),
  );

  app.use(refuseAmbiguousPaths);
  app.use(bodyLimit(config.bodyLimitBytes));
  app.use(healthRoutes(readiness, logger));
  if (config.metrics.token) app.use(metricsRoute(metrics, config.metrics.token));
  const input = jsonInput({ maxBytes: config.bodyLimitBytes, maxDepth: config.bodyMaxDepth });
  const onError = procedureErrorLogger();

  const settings: ApiSettings = {
    defaultLocale: config.defaultLocale,
    exposeErrorDetails: config.env === "development",
  };
  const createContext = createContextFactory({
    db,
    settings,
    auth,
    tenancy,
    contentCache,
    observer: metrics.procedureObserver,
    tracer,
  });
  const contextFor =
    (transport: Transport) =>
    ({ req }: { req: express.Request }) =>
      createContext({
        requestId: String(req.id),
        transport,
        traceContext: req.traceContext,
        log: req.log,
        ip: req.ip ?? req.socket.remoteAddress ?? "unknown",
        userAgent: req.headers["user-agent"],
        acceptLanguage: req.headers["accept-language"],
        authorization: req.headers.authorization,
        // Express's hostname honours TRUST_PROXY_HOPS (X-Forwarded-Host behind a proxy).
        host: req.hostname,
        tenantHeader: typeof req.headers["x-tenant"] === "string" ? req.headers["x-tenant"] : undefined,
      });
  const responseMeta = ({ errors }: { errors: Parameters<typeof headersForErrors>[0] }) => ({
    headers: headersForErrors(errors),
  });

  app.use(
    "/trpc",
    trpcBatchLimit(config.trpcMaxBatch),
    ...input,
    trpcJsonCalls({ router: appRouter, createContext: (req) => contextFor("trpc")({ req }), responseMeta, onError }),
    createExpressMiddleware({
      router: appRouter,
      createContext: contextFor("trpc"),
      responseMeta,
      onError,
      maxBodySize: config.bodyLimitBytes,
      maxBatchSize: config.trpcMaxBatch,
    }),
  );

  // Built on first request (it is memoized): generating it is ~0.3 s a start needs not wait for.
  app.get(`${restBasePath}/openapi.json`, (_req, res) => {
    res.json(createOpenApiDocument({ baseUrl: `${config.publicUrl ?? ""}${restBasePath}`, version: serverVersion }));
  });
  app.use(
    restBasePath,
    ...input,
    emptyJsonBody,
    createOpenApiExpressMiddleware({
      router: appRouter,
      createContext: contextFor("rest"),
      responseMeta: restResponseMeta(appRouter),
      onError,
      maxBodySize: config.bodyLimitBytes,
    }),
  );
  app.use(apiDocsRoutes(`${restBasePath}/openapi.json`));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
