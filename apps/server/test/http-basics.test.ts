import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

describe.each(testBackends())("health, readiness and HTTP hygiene on $name", (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend, {}, {}, { sockets: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("reports liveness and readiness", async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: "ok", migrations: "ok" } });
  });

  it("is not ready while a migration is missing from the database", async () => {
    // The application may not write the history; the owner can.
    const [row] = await server.db.prisma.$queryRawUnsafe<Array<{ id: string; migration_name: string }>>(
      "select id, migration_name from _prisma_migrations limit 1",
    );
    await server.db.withOwner((owner) =>
      owner.$executeRawUnsafe("update _prisma_migrations set finished_at = null where id = $1", row!.id),
    );
    try {
      const res = await fetch(`${server.url}/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: "unavailable",
        checks: { migrations: "pending" },
        pendingMigrations: [row!.migration_name],
      });
    } finally {
      await server.db.withOwner((owner) =>
        owner.$executeRawUnsafe("update _prisma_migrations set finished_at = now() where id = $1", row!.id),
      );
    }
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });

  it("sends request ids, keeping a well-formed incoming one", async () => {
    const fresh = await fetch(`${server.url}/health`);
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${server.url}/health`, { headers: { "X-Request-Id": "edge-1234" } });
    expect(kept.headers.get("x-request-id")).toBe("edge-1234");
    const replaced = await fetch(`${server.url}/health`, { headers: { "X-Request-Id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).not.toBe("<script>");
  });

  it("sets security headers and allows only configured CORS origins", async () => {
    const res = await fetch(`${server.url}/health`, { headers: { Origin: "https://app.example.test" } });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.test");

    const foreign = await fetch(`${server.url}/health`, { headers: { Origin: "https://evil.example" } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers unknown routes with a JSON 404 on every surface", async () => {
    for (const path of ["/nope", "/api/v1/nope", "/trpc/nope.nothing"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toContain("application/json");
    }
  });

  it("refuses a body over the configured limit with 413 on every surface", async () => {
    for (const path of ["/trpc/platform.content.get", "/api/v1/platform/content"]) {
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ padding: "x".repeat(200 * 1024) }),
      });
      expect(res.status, path).toBe(413);
      expect(await res.json()).toMatchObject({ data: { appCode: "PAYLOAD_TOO_LARGE" } });
    }
  });
});

describe.each(testBackends())("readiness when the database goes away on $name", (backend) => {
  it("answers 503 from /ready while /health stays 200", async () => {
    const server = await startTestServer(backend, {}, {}, { sockets: true });
    try {
      if (backend.name === "postgres") {
        // Really gone: the server's database is dropped under it.
        await server.database.drop();
      } else {
        // The embedded database lives in the process: closing it is the way it goes away (the
        // test's own instance, which the server borrowed: closing its connection leaves it open).
        await server.database.options.pglite!.close();
      }
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "unavailable", checks: { database: "unreachable" } });
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
