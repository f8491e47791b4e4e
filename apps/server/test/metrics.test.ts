import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectApiError, expectStatus } from "./support/accounts.ts";
import { call, createTenant, register, tenantEnv } from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

const metricsToken = "scrape-token-for-tests-0123456789";

/** `name{labels} value` lines of a Prometheus text exposition, as a lookup by series. */
function parseExposition(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** The series' value, or 0 when the series was never written. */
function value(series: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const [key, v] of series) {
    const brace = key.indexOf("{");
    const keyName = brace === -1 ? key : key.slice(0, brace);
    if (keyName !== name) continue;
    const keyLabels = brace === -1 ? [] : key.slice(brace + 1, -1).split(/,(?=[a-z_]+=")/);
    if (wanted.every((w) => keyLabels.includes(w))) total += v;
  }
  return total;
}

describe.each(testBackends())("Prometheus metrics on $name", (backend) => {
  let server: TestServer;
  const scrapeAtPort = async () => {
    const res = await fetch(server.metricsUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv({ METRICS_TOKEN: metricsToken, METRICS_PORT: "0" }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is not public: 404 on the API port without the bearer token or with a wrong one", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer not-the-token-at-all-000" } });
    expect(wrong.status).toBe(404);
    const right = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("tenantry_http_requests_total");
  });

  it("the metrics port serves GET /metrics and nothing else", async () => {
    const base = server.metricsUrl!.replace(/\/metrics$/, "");
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/plans`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(404);
    expect(await scrapeAtPort()).toContain("process_cpu_user_seconds_total");
  });

  it("counts requests, errors, sign-ins, refreshes, refusals and cache lookups after some traffic, with bounded labels", async () => {
    const before = parseExposition(await scrapeAtPort());
    const owner = await register(server);
    const tenant = await createTenant(server, owner.accessToken);

    // Sign-ins: one right, one wrong; refreshes: one good, one unknown token.
    const signedIn = await expectStatus<{ refreshToken: string }>(
      await call(server, "POST", "/auth/email/sign-in", { body: { email: owner.email, password: owner.password } }),
      200,
    );
    await expectApiError(
      await call(server, "POST", "/auth/email/sign-in", { body: { email: owner.email, password: "not-the-password-1" } }),
      401,
      "INVALID_CREDENTIALS",
    );
    await expectStatus(await call(server, "POST", "/auth/refresh", { body: { refreshToken: signedIn.refreshToken } }), 200);
    await expectApiError(
      await call(server, "POST", "/auth/refresh", { body: { refreshToken: "x".repeat(43) } }),
      401,
      "REFRESH_TOKEN_INVALID",
    );
    // The per-address sign-in limit (10 in 15 minutes) refuses the eleventh wrong password.
    const target = await register(server);
    for (let i = 0; i < 10; i++) {
      await call(server, "POST", "/auth/email/sign-in", { body: { email: target.email, password: "wrong-password-00" } });
    }
    await expectApiError(
      await call(server, "POST", "/auth/email/sign-in", { body: { email: target.email, password: "wrong-password-00" } }),
      429,
      "RATE_LIMITED",
    );
    // A path parameter (the member's id) must not become a label: the operation's procedure does.
    await call(server, "DELETE", `/tenant/members/${owner.user.id}`, { token: owner.accessToken, tenant: tenant.slug });
    // Twice through the tenant resolver: a miss, then a hit.
    await expectStatus(await call(server, "GET", "/tenant", { token: owner.accessToken, tenant: tenant.slug }), 200);
    await expectStatus(await call(server, "GET", "/tenant", { token: owner.accessToken, tenant: tenant.slug }), 200);
    // Refused at the edge, before any procedure: a body that is not JSON.
    await fetch(`${server.url}/api/v1/tenants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    // tRPC: one call, a batch, and a path the router does not have (made up: must not become a label).
    expect((await fetch(`${server.url}/trpc/plans.list`)).status).toBe(200);
    expect((await fetch(`${server.url}/trpc/plans.list,plans.list?batch=1&input={}`)).status).toBe(200);
    expect((await fetch(`${server.url}/trpc/made.up.path-${tenant.slug}`)).status).toBe(404);

    const text = await scrapeAtPort();
    const after = parseExposition(text);
    const grew = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);

    expect(grew("tenantry_http_requests_total", { transport: "rest", procedure: "auth.email.signIn", status_class: "2xx" })).toBe(
      1,
    );
    expect(grew("tenantry_http_requests_total", { transport: "rest", procedure: "auth.email.signIn", status_class: "4xx" })).toBe(
      12,
    );
    expect(
      grew("tenantry_http_request_duration_seconds_count", { transport: "rest", procedure: "tenants.get", status_class: "2xx" }),
    ).toBe(2);
    expect(grew("tenantry_http_requests_total", { transport: "rest", procedure: "tenants.members.remove" })).toBe(1);
    expect(grew("tenantry_http_requests_total", { transport: "trpc", procedure: "plans.list", status_class: "2xx" })).toBe(1);
    expect(grew("tenantry_http_requests_total", { transport: "trpc", procedure: "(batch)", status_class: "2xx" })).toBe(1);
    expect(grew("tenantry_http_requests_total", { transport: "trpc", procedure: "(unknown)", status_class: "4xx" })).toBe(1);

    expect(grew("tenantry_procedure_errors_total", { procedure: "auth.email.signIn", code: "INVALID_CREDENTIALS" })).toBe(11);
    expect(
      grew("tenantry_procedure_errors_total", { transport: "rest", procedure: "auth.email.signIn", code: "RATE_LIMITED" }),
    ).toBe(1);
    expect(grew("tenantry_edge_refusals_total", { code: "MALFORMED_REQUEST" })).toBe(1);
    expect(grew("tenantry_rate_limit_refusals_total", { rule: "signInPerEmail" })).toBe(1);
    expect(grew("tenantry_sign_ins_total", { method: "email", outcome: "success" })).toBe(1);
    expect(grew("tenantry_sign_ins_total", { method: "email", outcome: "INVALID_CREDENTIALS" })).toBe(11);
    expect(grew("tenantry_sign_ins_total", { method: "email", outcome: "RATE_LIMITED" })).toBe(1);
    expect(grew("tenantry_token_refreshes_total", { outcome: "success" })).toBe(1);
    expect(grew("tenantry_token_refreshes_total", { outcome: "REFRESH_TOKEN_INVALID" })).toBe(1);
    expect(grew("tenantry_tenant_cache_lookups_total", { cache: "tenant_resolver", result: "miss" })).toBeGreaterThanOrEqual(1);
    expect(grew("tenantry_tenant_cache_lookups_total", { cache: "tenant_resolver", result: "hit" })).toBeGreaterThanOrEqual(1);
    expect(grew("tenantry_db_query_duration_seconds_count", { outcome: "ok" })).toBeGreaterThan(10);
    expect(value(after, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(text).toContain("process_resident_memory_bytes");

    // The pool is PostgreSQL's; the embedded database has one connection and no pool gauges.
    if (backend.name === "postgres") {
      expect(value(after, "tenantry_db_pool_max_connections")).toBeGreaterThan(0);
      expect(after.has('tenantry_db_pool_connections{state="waiting"}')).toBe(true);
    } else {
      expect(text).not.toMatch(/^tenantry_db_pool_connections\{/m);
    }

    // Bounded labels: no id, slug, address or made-up path from the requests above.
    for (const leaked of [owner.user.id, tenant.slug, owner.email, "made.up.path"]) expect(text).not.toContain(leaked);
  });
});

describe("metrics left unconfigured", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(testBackends()[0]!);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("are served nowhere: /metrics is a 404 even with a bearer token, and no metrics port opens", async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(res.status).toBe(404);
    expect(server.metricsUrl).toBeUndefined();
  });
});
