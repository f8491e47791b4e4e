import { context, trace } from "@opentelemetry/api";
import { pino, type Logger } from "pino";
import type { Config } from "./config.ts";

/** With tracing on, a line written during a traced request names its trace and span. */
function traceIds(): Record<string, string> {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** JSON logs, one object a line; human-readable through pino-pretty in development. */
export function createLogger(config: Pick<Config, "env" | "logLevel" | "tracing">): Logger {
  return pino({
    level: config.logLevel,
    base: { service: "tenantry" },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
      censor: "[redacted]",
    },
    ...(config.tracing.enabled ? { mixin: traceIds } : {}),
    ...(config.env === "development"
      ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" } } }
      : {}),
  });
}
