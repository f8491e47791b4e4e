import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/** Only what these tests read of the document; the parser below checks the rest. */
interface Operation {
  tags?: string[];
  security?: unknown;
  parameters?: Array<{ name: string; in: string }>;
}
interface OpenApiDocument {
  openapi: string;
  servers?: Array<{ url: string }>;
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

/** The operation, or a failure naming what the document lacks. */
function operation(document: OpenApiDocument, path: string, method: string): Operation {
  const found = document.paths[path]?.[method];
  if (!found) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
  return found;
}

describe("OpenAPI document and API docs", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(testBackends()[0]!);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves a valid OpenAPI 3.1 document describing the REST routes", async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as OpenApiDocument;
    expect(document.openapi).toMatch(/^3\.1\./);
    // A real parser: resolves every $ref and validates against the OpenAPI 3.1 schema.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();

    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/platform/content", "/platform/content/{key}"]));
    const get = operation(document, "/platform/content/{key}", "get");
    expect(get.tags).toEqual(["platform"]);
    expect(get.parameters?.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(["path:key", "query:locale"]),
    );
    expect(document.servers?.[0]?.url).toBe("/api/v1");
  });

  it("marks signed-in operations with the bearer scheme and leaves sign-in open", async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    expect(document.components.securitySchemes.Authorization).toEqual({ type: "http", scheme: "bearer" });
    expect(operation(document, "/account", "get").security).toEqual([{ Authorization: [] }]);
    expect(operation(document, "/admin/blocked-phones", "post").security).toEqual([{ Authorization: [] }]);
    expect(operation(document, "/auth/email/sign-in", "post").security).toBeUndefined();
    expect(operation(document, "/auth/phone/request-code", "post").tags).toEqual(["auth"]);
  });

  it("serves interactive docs from this server only", async () => {
    const redirect = await fetch(`${server.url}/docs`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/docs/");

    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // Every script and stylesheet is local: no CDN.
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).not.toMatch(/^(https?:)?\/\//);
    for (const url of urls) {
      const asset = await fetch(new URL(url, `${server.url}/docs/`));
      expect(asset.status, url).toBe(200);
    }
    const init = await (await fetch(`${server.url}/docs/init.js`)).text();
    expect(init).toContain('"/api/v1/openapi.json"');
  });
});
