import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createOpenApiDocument } from "@tenantry/api";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/*
 * A REST caller's client, generated from the document with openapi-typescript and called with
 * openapi-fetch: a strict compile of a small journey (a tenant via `X-Tenant`, the shop enabled
 * with typed settings, an order beyond stock answered `OUT_OF_STOCK` read from
 * `error.data.appCode`, the order's notification narrowed by its `kind`) with no casts, and wrong uses that
 * must not compile; then the same journey runs against the real server.
 */

const serverDir = path.resolve(import.meta.dirname, "..");
const tsc = path.resolve(serverDir, "../../node_modules/typescript/bin/tsc");

const journeySource = `
import createClient from "openapi-fetch";
import type { paths } from "./schema.ts";

export async function journey(baseUrl: string): Promise<string> {
  const api = createClient<paths>({ baseUrl: baseUrl + "/api/v1" });
  const email = "client-" + Date.now() + "@example.test";
  const registered = await api.POST("/auth/email/register", { body: { email, password: "a long enough password" } });
  if (!registered.data) throw new Error("register: " + registered.response.status);
  const headers = { Authorization: "Bearer " + registered.data.accessToken };

  const slug = "client-" + Date.now().toString(36);
  const tenant = await api.POST("/tenants", { body: { slug, name: "Client shop" }, headers });
  if (!tenant.data) throw new Error("tenant: " + tenant.response.status);
  const inTenant = { header: { "X-Tenant": tenant.data.slug } };

  await api.PATCH("/tenant/subscription", { params: inTenant, body: { planCode: "pro" }, headers });
  await api.POST("/tenant/modules/{moduleId}/enable", {
    params: { ...inTenant, path: { moduleId: "shop" } },
    body: { settings: { storefrontTitle: "Client shop", theme: { primaryColor: "#112233" } } },
    headers,
  });
  const product = await api.POST("/modules/shop/catalog/products", {
    params: inTenant,
    body: { name: "Last lamp", priceMinor: 1200, stock: 1 },
    headers,
  });
  if (!product.data) throw new Error("product: " + product.response.status);

  const order = await api.POST("/modules/shop/orders", {
    params: inTenant,
    body: { items: [{ productId: product.data.id, quantity: 2 }] },
    headers,
  });
  if (!order.error) return "ordered " + order.data.id;
  const status: number = order.error.data.httpStatus;
  if (order.error.data.appCode !== "OUT_OF_STOCK") return order.error.data.appCode;

  const placed = await api.POST("/modules/shop/orders", {
    params: inTenant,
    body: { items: [{ productId: product.data.id, quantity: 1 }] },
    headers,
  });
  if (!placed.data) throw new Error("order: " + placed.response.status);
  const notifications = await api.GET("/tenant/notifications", { params: inTenant, headers });
  if (!notifications.data) throw new Error("notifications: " + notifications.response.status);
  // The kind tells the data's shape apart: orderId is a string here, no cast.
  const notified = notifications.data.items.some(
    (notification) => notification.kind === "shop.order.placed" && notification.data.orderId === placed.data.id,
  );
  return "out of stock (" + status + "), then notified of the order: " + notified;
}

export async function wrongUses(baseUrl: string): Promise<void> {
  const api = createClient<paths>({ baseUrl });
  // @ts-expect-error X-Tenant is a header parameter, not a query one
  await api.GET("/tenant/members", { params: { query: { "X-Tenant": "acme" } } });
  // @ts-expect-error the order needs its items
  await api.POST("/modules/shop/orders", { params: { header: { "X-Tenant": "acme" } }, body: {} });
  const order = await api.POST("/modules/shop/orders", { params: { header: { "X-Tenant": "acme" } }, body: { items: [] } });
  // @ts-expect-error no operation answers with this app code
  if (order.error?.data.appCode === "NO_SUCH_CODE") return;
  // @ts-expect-error there is no such path
  await api.GET("/tenant/nothing-here");
  await api.POST("/tenant/modules/{moduleId}/enable", {
    params: { header: { "X-Tenant": "acme" }, path: { moduleId: "shop" } },
    // @ts-expect-error the shop's title is text
    body: { settings: { storefrontTitle: 42 } },
  });
  const notifications = await api.GET("/tenant/notifications", { params: { header: { "X-Tenant": "acme" } } });
  const first = notifications.data?.items[0];
  // @ts-expect-error which data a notification has depends on its kind
  if (first) console.log(first.data.orderId);
}
`;

describe("a client generated from the OpenAPI document (openapi-typescript + openapi-fetch)", () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer(testBackends()[0]!);
    // Inside the package, so `openapi-fetch` resolves from its node_modules.
    const scratch = path.join(serverDir, "node_modules", ".cache");
    mkdirSync(scratch, { recursive: true });
    dir = mkdtempSync(path.join(scratch, "openapi-client-"));
    // openapi-typescript writes into the document it reads; the served one is shared and frozen.
    const document = structuredClone(createOpenApiDocument({ baseUrl: "/api/v1", version: "test" }));
    writeFileSync(path.join(dir, "schema.ts"), astToString(await openapiTS(document as never)));
    writeFileSync(path.join(dir, "journey.ts"), journeySource);
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          lib: ["es2022", "dom"],
          allowImportingTsExtensions: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["journey.ts"],
      }),
    );
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("type-checks the journey without casts, and refuses the wrong uses", { timeout: 120_000 }, () => {
    const result = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("runs the journey against the server: the order beyond stock reads OUT_OF_STOCK", async () => {
    const { journey } = (await import(pathToFileURL(path.join(dir, "journey.ts")).href)) as {
      journey(baseUrl: string): Promise<string>;
    };
    expect(await journey(server.url)).toBe("out of stock (409), then notified of the order: true");
  });
});
