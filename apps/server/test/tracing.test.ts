import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, register, tenantEnv } from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * Tracing with an in-memory exporter in place of OTLP: a tenant read must come out as one trace,
 * request span ▸ procedure span ▸ one span per database statement, each with the request id.
 */
describe.each(testBackends())("OpenTelemetry tracing on $name", (backend) => {
  let server: TestServer;
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv(), { tracer: provider.getTracer("test") });
  });
  afterAll(async () => {
    await server?.stop();
    await provider.shutdown();
  });

  const attribute = (span: ReadableSpan, name: string) => span.attributes[name];
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  /** The spans of the one trace whose request span carries `requestId`. */
  async function traceOf(requestId: string): Promise<ReadableSpan[]> {
    // The request span ends on the response's `close`, just after the client has the answer.
    await expect
      .poll(() => exporter.getFinishedSpans().some((s) => attribute(s, "tenantry.request_id") === requestId && !parentOf(s)))
      .toBe(true);
    const root = exporter.getFinishedSpans().find((s) => attribute(s, "tenantry.request_id") === requestId && !parentOf(s))!;
    return exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === root.spanContext().traceId);
  }

  it("a tenant read over REST: request span ▸ procedure span ▸ database statements, all with the request id", async () => {
    const owner = await register(server);
    const tenant = await createTenant(server, owner.accessToken);
    exporter.reset();

    const requestId = `trace-rest-${backend.name}`;
    const res = await call(server, "GET", "/tenant", {
      token: owner.accessToken,
      tenant: tenant.slug,
      headers: { "x-request-id": requestId },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(requestId);

    const spans = await traceOf(requestId);
    const root = spans.find((s) => !parentOf(s))!;
    expect(root.name).toBe("GET tenants.get");
    expect(root.attributes).toMatchObject({
      "http.request.method": "GET",
      "http.response.status_code": 200,
      "tenantry.transport": "rest",
      "tenantry.procedure": "tenants.get",
    });

    const procedure = spans.filter((s) => parentOf(s) === root.spanContext().spanId);
    expect(procedure.map((s) => s.name)).toEqual(["procedure tenants.get"]);
    const statements = spans.filter((s) => parentOf(s) === procedure[0]!.spanContext().spanId);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.name).toBe("db.query");
      expect(String(attribute(statement, "db.query.text"))).toMatch(
        /^\s*(SELECT|UPDATE|INSERT|DELETE|WITH|BEGIN|COMMIT|ROLLBACK|SET)\b/i,
      );
      // Parameterised: the tenant's slug was a parameter, never part of the text.
      expect(String(attribute(statement, "db.query.text"))).not.toContain(tenant.slug);
    }
    for (const span of spans) expect(attribute(span, "tenantry.request_id")).toBe(requestId);
  });

  it("a failing call over tRPC: the procedure span carries the app code and an error status", async () => {
    exporter.reset();
    const requestId = `trace-trpc-${backend.name}`;
    const res = await fetch(`${server.url}/trpc/tenants.get`, {
      headers: { "x-request-id": requestId, "x-tenant": "no-such-tenant" },
    });
    expect(res.status).toBe(401);

    const spans = await traceOf(requestId);
    const root = spans.find((s) => !parentOf(s))!;
    expect(root.name).toBe("GET tenants.get");
    expect(root.attributes).toMatchObject({ "tenantry.transport": "trpc", "http.response.status_code": 401 });
    const procedure = spans.find((s) => s.name === "procedure tenants.get")!;
    expect(parentOf(procedure)).toBe(root.spanContext().spanId);
    expect(procedure.attributes["tenantry.app_code"]).toBe("UNAUTHENTICATED");
    expect(procedure.status.code).toBe(2); // SpanStatusCode.ERROR
  });
});

describe("tracing left unconfigured", () => {
  it("is off: no OTEL_* endpoint means no tracer and no spans", async () => {
    const { loadConfig } = await import("../src/config.ts");
    expect(loadConfig({ NODE_ENV: "test" }).config.tracing.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: "test", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }).config.tracing.enabled).toBe(
      true,
    );
    expect(
      loadConfig({ NODE_ENV: "test", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SDK_DISABLED: "true" }).config
        .tracing.enabled,
    ).toBe(false);
    expect(
      loadConfig({ NODE_ENV: "test", OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }).config
        .tracing.enabled,
    ).toBe(false);
  });
});
