import { context, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { serverVersion } from "../version.ts";

let propagating = false;

/**
 * Spans find their parent through the active context, which follows async calls only once a
 * context manager is registered (once per process; it changes nothing while no span is made).
 */
export function ensureContextPropagation(): void {
  if (propagating) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagating = true;
}

export interface Tracing {
  tracer: Tracer;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Tracing to an OTLP/HTTP collector, configured as the OpenTelemetry specification says: the
 * exporter reads `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`), `…_HEADERS`,
 * `…_TIMEOUT`; the resource `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`; the sampler
 * `OTEL_TRACES_SAMPLER` and its argument. Spans are sent in batches, off the request path.
 */
export function startOtlpTracing(): Tracing {
  ensureContextPropagation();
  const resource = resourceFromAttributes({ "service.name": "tenantry", "service.version": serverVersion }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  return { tracer: provider.getTracer("tenantry", serverVersion), shutdown: () => provider.shutdown() };
}
