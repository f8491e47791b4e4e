import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/** Only what these tests read of the document; the parser below checks the rest. */
interface ErrorResponse {
  headers?: Record<string, unknown>;
  content: {
    "application/json": {
      schema: { allOf: [{ $ref: string }, { properties: { data: { properties: { appCode: { enum: string[] } } } } }] };
    };
  };
}
interface Operation {
  tags?: string[];
  security?: unknown;
  description?: string;
  parameters?: Array<{ name: string; in: string; $ref?: string }>;
  requestBody?: { required?: boolean };
  responses: Record<string, ErrorResponse>;
}
interface OpenApiDocument {
  openapi: string;
  info: { license?: { name: string }; contact?: { name?: string } };
  tags: Array<{ name: string; description?: string }>;
  servers?: Array<{ url: string }>;
  components: {
    securitySchemes: Record<string, unknown>;
    parameters: Record<string, { name: string; in: string }>;
    schemas: Record<string, { required?: string[] }>;
  };
  paths: Record<string, Record<string, Operation>>;
}

/** The app codes the operation documents for `status`. */
function appCodes(op: Operation, status: number): string[] {
  return op.responses[String(status)]?.content["application/json"].schema.allOf[1].properties.data.properties.appCode.enum ?? [];
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

  it("marks signed-in operations with the bearer scheme, public ones with none, the storefront with either", async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    expect(document.components.securitySchemes.Authorization).toEqual({ type: "http", scheme: "bearer" });
    expect(operation(document, "/account", "get").security).toEqual([{ Authorization: [] }]);
    expect(operation(document, "/admin/blocked-phones", "post").security).toEqual([{ Authorization: [] }]);
    expect(operation(document, "/auth/email/sign-in", "post").security).toEqual([]);
    expect(operation(document, "/modules/shop/products", "get").security).toEqual([{}, { Authorization: [] }]);
    expect(operation(document, "/auth/phone/request-code", "post").tags).toEqual(["auth"]);
  });

  it("declares X-Tenant on every operation that resolves a tenant, and on no other", async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    expect(document.components.parameters.XTenant).toMatchObject({ name: "X-Tenant", in: "header", required: false });
    const takesTenant = (op: Operation) => (op.parameters ?? []).some((p) => p.$ref === "#/components/parameters/XTenant");
    const withHeader: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) if (takesTenant(op)) withHeader.push(`${method.toUpperCase()} ${path}`);
    }
    expect(withHeader.length).toBeGreaterThanOrEqual(40);
    for (const entry of withHeader) expect(entry).toMatch(/^\w+ \/(tenant|modules)(\/|$)/);
    expect(takesTenant(operation(document, "/tenant/members", "get"))).toBe(true);
    expect(takesTenant(operation(document, "/modules/shop/orders", "post"))).toBe(true);
    expect(takesTenant(operation(document, "/tenants", "post"))).toBe(false);
  });

  it("documents the error body the server sends, and each operation's statuses with their app codes", async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    expect(document.components.schemas.Error?.required).toEqual(["code", "message", "data"]);
    expect(Object.keys(document.components.schemas).filter((name) => name.startsWith("error."))).toEqual([]);

    const signIn = operation(document, "/auth/email/sign-in", "post");
    expect(appCodes(signIn, 401)).toEqual(["INVALID_CREDENTIALS"]);
    expect(appCodes(signIn, 429)).toEqual(["RATE_LIMITED"]);
    expect(signIn.responses["429"]?.headers).toHaveProperty("Retry-After");
    expect(appCodes(signIn, 400)).toContain("VALIDATION_FAILED");

    const order = operation(document, "/modules/shop/orders", "post");
    expect(appCodes(order, 409)).toEqual(expect.arrayContaining(["OUT_OF_STOCK", "WRITE_CONFLICT"]));
    expect(appCodes(order, 400)).toEqual(expect.arrayContaining(["TENANT_REQUIRED", "ORDER_TOO_LARGE"]));
    expect(appCodes(order, 401)).toContain("TOKEN_EXPIRED");
    expect(appCodes(order, 429)).toEqual(["RATE_LIMITED"]);

    // Builders' codes come from the builder: a member procedure can refuse non-members.
    expect(appCodes(operation(document, "/tenant/members", "get"), 403)).toEqual(
      expect.arrayContaining(["NOT_A_MEMBER", "TENANT_SUSPENDED"]),
    );
    expect(appCodes(operation(document, "/admin/blocked-phones", "get"), 403)).toEqual(["PLATFORM_ADMIN_ONLY"]);
    // A public read with no tenant has no 401 and no 403 at all.
    expect(Object.keys(operation(document, "/plans", "get").responses).sort()).toEqual([
      "200",
      "400",
      "413",
      "415",
      "500",
      "503",
    ]);
  });

  it("describes every operation and tag, names a licence and a contact, needs no body where no field is required, and answers creation with 201", async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    expect(document.info.license?.name).toBe("MIT");
    expect(document.info.contact?.name).toBeTruthy();
    for (const tag of document.tags) expect(tag.description, tag.name).toBeTruthy();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.description, `${method} ${path}`).toBeTruthy();
        // Paging is explained where it is offered.
        for (const parameter of op.parameters ?? []) {
          if (parameter.name === "cursor" || parameter.name === "limit") {
            expect((parameter as { description?: string }).description, `${method} ${path} ${parameter.name}`).toBeTruthy();
          }
        }
      }
    }
    expect(operation(document, "/tenant/modules/{moduleId}/enable", "post").requestBody?.required).toBe(false);
    // What creates answers 201 over REST, and says so; acting and reading answer 200.
    for (const path of ["/tenants", "/tenant/invitations", "/tenant/domains", "/modules/shop/orders", "/auth/email/register"]) {
      expect(
        Object.keys(operation(document, path, "post").responses).filter((s) => s.startsWith("2")),
        path,
      ).toEqual(["201"]);
    }
    expect(Object.keys(operation(document, "/auth/email/sign-in", "post").responses).filter((s) => s.startsWith("2"))).toEqual([
      "200",
    ]);
    expect(operation(document, "/modules/shop/orders", "post").requestBody?.required).toBe(true);
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
