import { request as httpRequest } from "node:http";
import { createClient } from "@tenantry/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopTenant, type OwnedTenant } from "./support/shop.ts";
import { expectApiError, expectStatus, tenantClient, tenantEnv, type TenantClient } from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * The HTTP edge under attack: requests are refused before routing or before any procedure runs,
 * with a stable code in the envelope of their transport, and nothing they name is touched.
 */

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** The path exactly as written (fetch would resolve `..` before sending). */
function raw(
  server: { url: string },
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: kept as text for the assertion message
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const appCodeOf = (body: unknown) =>
  (body as { data?: { appCode?: string } }).data?.appCode ??
  (body as { error?: { data?: { appCode?: string } } }).error?.data?.appCode;

describe.each(testBackends())("the HTTP edge under attack on $name", (backend) => {
  let server: TestServer;
  let api: TenantClient;
  let shop: OwnedTenant;
  let asOwner: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv(), {}, { sockets: true });
    api = tenantClient(server);
    shop = await shopTenant(server, api);
    asOwner = { authorization: `Bearer ${shop.owner.accessToken}`, "x-tenant": shop.tenant.slug };
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("dot segments and encoded separators", () => {
    it.each([
      ["DELETE", "/api/v1/tenant/domains/%2e%2e"],
      ["DELETE", "/api/v1/tenant/domains/%2E%2e"],
      ["DELETE", "/api/v1/tenant/domains/.%2e"],
      ["DELETE", "/api/v1/tenant/domains/.."],
      ["GET", "/api/v1/tenant/members/%2e%2e/%2e%2e/account"],
      ["GET", "/api/v1/tenant/members/../../account"],
      ["GET", "/api/v1/./account"],
      ["GET", "/api/v1/tenant/members/%2e"],
      ["DELETE", "/api/v1/tenant/domains/x%2f..%2f.."],
      ["GET", "/api/v1/tenant/members/a%5c..%5caccount"],
      ["GET", "/trpc/x/%2e%2e/account.me"],
      ["POST", "/trpc/tenants.delete/.."],
    ])("%s %s is refused with 400 INVALID_PATH before routing", async (method, path) => {
      const answer = await raw(server, method, path, { headers: asOwner });
      expect({ status: answer.status, appCode: appCodeOf(answer.body) }).toEqual({ status: 400, appCode: "INVALID_PATH" });
      if (path.startsWith("/trpc")) expect(answer.body).toHaveProperty("error.code", -32600);
    });

    it("and the tenant a `..` would have reached is still there, with its domains", async () => {
      await raw(server, "DELETE", "/api/v1/tenant/domains/%2e%2e", { headers: asOwner });
      await expectStatus(await api.get("/tenant", shop.as), 200);
    });

    it("an id of the wrong shape in a path is a 400 naming it, never another route", async () => {
      await expectApiError(await api.delete("/tenant/domains/not-a-uuid", shop.as), 400, "VALIDATION_FAILED", "domainId");
      await expectApiError(await api.patch("/tenant/members/1", { role: "admin" }, shop.as), 400, "VALIDATION_FAILED", "userId");
      await expectStatus(await api.get("/tenant", shop.as), 200);
    });
  });

  describe("tRPC batches", () => {
    const calls = (n: number) => Array.from({ length: n }, () => "platform.content.list").join(",");

    it("answers a batch of up to 10 calls", async () => {
      const inputs = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i), {}]));
      const answer = await raw(server, "GET", `/trpc/${calls(10)}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toHaveLength(10);
    });

    it("refuses 11 calls or more with 400 BATCH_TOO_LARGE, one error per call, running none", async () => {
      const answer = await raw(server, "GET", `/trpc/${calls(500)}?batch=1&input=${encodeURIComponent("{}")}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toHaveLength(500);
      expect(appCodeOf((answer.body as unknown[])[0])).toBe("BATCH_TOO_LARGE");

      // Eleven tenant creations in one batch: refused, so none exists afterwards.
      const slugs = Array.from({ length: 11 }, (_, i) => `batch-${i}-${shop.tenant.slug}`.slice(0, 40));
      const input = Object.fromEntries(slugs.map((slug, i) => [String(i), { slug, name: slug }]));
      const creations = await raw(server, "POST", `/trpc/${Array(11).fill("tenants.create").join(",")}?batch=1`, {
        headers: { authorization: `Bearer ${shop.owner.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      expect(creations.status).toBe(400);
      const mine = await expectStatus<Array<{ slug: string }>>(await api.get("/tenants", { token: shop.owner.accessToken }), 200);
      expect(mine.map((t) => t.slug)).toEqual([shop.tenant.slug]);
    });

    it("answers a batch path with broken percent-encoding with a 4xx, counted and refused alike", async () => {
      for (const path of [`/trpc/platform.content.list%2Cx%E0?batch=1`, `/trpc/${calls(11)}%E0?batch=1`]) {
        const answer = await raw(server, "GET", path);
        expect(answer.status, path).toBeGreaterThanOrEqual(400);
        expect(answer.status, path).toBeLessThan(500);
      }
      const tooMany = await raw(server, "GET", `/trpc/${calls(11)}%E0?batch=1`);
      expect(appCodeOf((tooMany.body as unknown[])[0])).toBe("BATCH_TOO_LARGE");
    });

    it("the SDK splits what it batches to fit the limit", async () => {
      const client = createClient({ url: server.url });
      const lists = await Promise.all(Array.from({ length: 25 }, () => client.platform.content.list.query({})));
      expect(lists).toHaveLength(25);
    });
  });

  describe("hostile JSON", () => {
    const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    const json = { "content-type": "application/json" };

    it.each([33, 1_500, 5_000, 40_000])(
      "refuses %i levels of nesting with 400 INPUT_TOO_DEEP on both transports",
      async (depth) => {
        const body = `{"email":${deep(depth)},"password":"x"}`;
        const rest = await raw(server, "POST", "/api/v1/auth/email/sign-in", { headers: json, body });
        expect({ status: rest.status, appCode: appCodeOf(rest.body) }).toEqual({ status: 400, appCode: "INPUT_TOO_DEEP" });
        expect((rest.body as { message: string }).message).toMatch(/^email: nests arrays and objects deeper than 32 levels/);
        const trpc = await raw(server, "POST", "/trpc/auth.email.signIn", { headers: json, body });
        expect({ status: trpc.status, appCode: appCodeOf(trpc.body) }).toEqual({ status: 400, appCode: "INPUT_TOO_DEEP" });
        const query = await raw(
          server,
          "GET",
          `/trpc/platform.content.list?input=${encodeURIComponent(`{"prefix":${deep(depth)}}`)}`,
        );
        // Deeper inputs do not fit in a URL: Node refuses the request line itself (431).
        const expected = depth <= 1_500 ? { status: 400, appCode: "INPUT_TOO_DEEP" } : { status: 431, appCode: undefined };
        expect({ status: query.status, appCode: appCodeOf(query.body) }).toEqual(expected);
      },
    );

    it("passes nesting within the limit on to validation", async () => {
      const rest = await raw(server, "POST", "/api/v1/auth/email/sign-in", {
        headers: json,
        body: `{"email":${deep(31)},"password":"x"}`,
      });
      expect({ status: rest.status, appCode: appCodeOf(rest.body) }).toEqual({ status: 400, appCode: "VALIDATION_FAILED" });
    });

    it("refuses a lone surrogate anywhere in the input with 400 INVALID_TEXT naming the field, storing nothing", async () => {
      const before = await expectStatus<{ storefrontTitle: string }>(await api.get("/modules/shop/settings", shop.as), 200);
      for (const body of [
        '{"storefrontTitle":"\\ud800"}',
        '{"storefrontTitle":"ok \\udc00 ok"}',
        '{"theme":{"\\ud83d":"#000000"}}',
      ]) {
        const answer = await raw(server, "PATCH", "/api/v1/modules/shop/settings", { headers: { ...asOwner, ...json }, body });
        expect({ status: answer.status, appCode: appCodeOf(answer.body) }).toEqual({ status: 400, appCode: "INVALID_TEXT" });
      }
      const named = await raw(server, "PATCH", "/api/v1/modules/shop/settings", {
        headers: { ...asOwner, ...json },
        body: '{"storefrontTitle":"\\ud800"}',
      });
      expect(named.body).toMatchObject({ data: { issues: [{ field: "storefrontTitle" }] } });
      const enable = await raw(server, "POST", "/api/v1/tenant/modules/shop/enable", {
        headers: { ...asOwner, ...json },
        body: '{"settings":{"storefrontTitle":"\\udbff"}}',
      });
      expect(enable.body).toMatchObject({ data: { appCode: "INVALID_TEXT", issues: [{ field: "settings.storefrontTitle" }] } });
      const trpc = await raw(server, "POST", "/trpc/modules.shop.settings.update", {
        headers: { ...asOwner, ...json },
        body: '{"storefrontTitle":"\\ud800"}',
      });
      expect({ status: trpc.status, appCode: appCodeOf(trpc.body) }).toEqual({ status: 400, appCode: "INVALID_TEXT" });
      // A well-formed pair (an emoji) is text, and is stored.
      const emoji = await raw(server, "PATCH", "/api/v1/modules/shop/settings", {
        headers: { ...asOwner, ...json },
        body: '{"storefrontTitle":"Shop \\ud83d\\ude00"}',
      });
      expect(emoji.status).toBe(200);
      expect(
        await expectStatus(await api.patch("/modules/shop/settings", { storefrontTitle: before.storefrontTitle }, shop.as), 200),
      ).toMatchObject({
        storefrontTitle: before.storefrontTitle,
      });
    });

    it("refuses JSON that does not parse and bodies that are not JSON, in each transport's envelope", async () => {
      const rest = await raw(server, "POST", "/api/v1/auth/email/sign-in", { headers: json, body: '{"email":' });
      expect({ status: rest.status, appCode: appCodeOf(rest.body) }).toEqual({ status: 400, appCode: "MALFORMED_REQUEST" });
      expect(rest.body).toHaveProperty("code", "BAD_REQUEST");
      const trpc = await raw(server, "POST", "/trpc/auth.email.signIn", { headers: json, body: "{nope" });
      expect({ status: trpc.status, appCode: appCodeOf(trpc.body) }).toEqual({ status: 400, appCode: "MALFORMED_REQUEST" });
      expect(trpc.body).toHaveProperty("error.message");
      const form = await raw(server, "POST", "/api/v1/auth/email/sign-in", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "email=a%40b.c&password=x",
      });
      expect({ status: form.status, appCode: appCodeOf(form.body) }).toEqual({ status: 415, appCode: "UNSUPPORTED_MEDIA_TYPE" });
    });
  });
});
