import { context, createContextKey, SpanKind, SpanStatusCode, trace, type Context, type Tracer } from "@opentelemetry/api";
import type { RequestHandler } from "express";
import type { RequestLabels } from "../metrics/request-labels.ts";

/** Where a request's id rides in its trace context, for spans made far from the request. */
const requestIdKey = createContextKey("tenantry.request_id");

/** The request id of the trace context `ctx` (the active one by default), if a request set one. */
export function requestIdOf(ctx: Context = context.active()): string | undefined {
  const id = ctx.getValue(requestIdKey);
  return typeof id === "string" ? id : undefined;
}

declare module "node:http" {
  interface IncomingMessage {
    /** The request span's trace context (tracing on), for the procedures' context. */
    traceContext?: Context;
  }
}

/**
 * One server span per request, named by method and procedure once the answer is known
 * (`GET tenants.get`; labels as the metrics use them, so ids never become names). Its context,
 * with the request id in it, is active for the handlers and kept on `req` for the procedures:
 * a body read from the socket's events can lose the active context on the way.
 */
export function requestSpans(tracer: Tracer, label: (method: string, url: string) => RequestLabels): RequestHandler {
  return (req, res, next) => {
    const span = tracer.startSpan(`${req.method}`, {
      kind: SpanKind.SERVER,
      attributes: { "http.request.method": req.method, "url.path": req.path, "tenantry.request_id": req.id },
    });
    const traceContext = trace.setSpan(context.active(), span).setValue(requestIdKey, req.id);
    req.traceContext = traceContext;
    res.once("close", () => {
      const { transport, procedure } = label(req.method, req.originalUrl);
      span.updateName(`${req.method} ${procedure}`);
      span.setAttributes({ "tenantry.transport": transport, "tenantry.procedure": procedure });
      if (res.writableFinished) {
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } else {
        span.setStatus({ code: SpanStatusCode.ERROR, message: "client closed the connection before the answer" });
      }
      span.end();
    });
    context.with(traceContext, next);
  };
}

const untraced = () => {};

/**
 * A client span per database statement, under the active span (a procedure's). Statements
 * outside any request (start-up, the hourly purge) would each be a trace of one span: none.
 */
export function querySpans(tracer: Tracer, system: "postgresql") {
  return (sql: string) => {
    const active = context.active();
    if (!trace.getSpan(active)) return untraced;
    const requestId = requestIdOf(active);
    const span = tracer.startSpan(
      "db.query",
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "db.system.name": system,
          // Prisma sends parameterised SQL: the text holds no values.
          "db.query.text": sql,
          ...(requestId ? { "tenantry.request_id": requestId } : {}),
        },
      },
      active,
    );
    return (failed: boolean) => {
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
  };
}
