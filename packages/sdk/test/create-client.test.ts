import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, isTenantryError, TRPCClientError } from "../src/index.ts";

/*
 * A stand-in for the server's /trpc endpoint: it records what arrives and answers in tRPC's batch
 * format, so these tests see exactly what the SDK puts on the wire.
 */

interface RecordedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
}

const entry = {
  key: "legal.terms",
  locale: "en",
  fallback: false,
  title: "Terms of service",
  body: "Be nice.",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

let server: Server;
let origin: string;
let requests: RecordedRequest[];
let answer: { status: number; body: unknown };

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    req.resume().on("end", () => {
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

beforeEach(() => {
  requests = [];
  answer = { status: 200, body: [{ result: { data: entry } }] };
});

describe("createClient", () => {
  it("calls <url>/trpc with the bearer token and tenant, and returns the data", async () => {
    const client = createClient({ url: `${origin}/`, token: "secret-token", tenant: "acme" });

    const result = await client.platform.content.get.query({ key: "legal.terms", locale: "en" });

    expect(result).toEqual(entry);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe("GET");
    expect(request?.url).toMatch(/^\/trpc\/platform\.content\.get\?batch=1&input=/);
    expect(request?.headers.authorization).toBe("Bearer secret-token");
    expect(request?.headers["x-tenant"]).toBe("acme");
  });

  it("asks token and tenant functions again for every request", async () => {
    let token: string | undefined = "first";
    const tenants = ["acme", "globex"];
    const client = createClient({
      url: origin,
      token: () => token,
      tenant: async () => tenants.shift(),
    });

    await client.platform.content.get.query({ key: "legal.terms" });
    token = undefined;
    await client.platform.content.get.query({ key: "legal.terms" });

    expect(requests.map((r) => r.headers.authorization)).toEqual(["Bearer first", undefined]);
    expect(requests.map((r) => r.headers["x-tenant"])).toEqual(["acme", "globex"]);
  });

  it("sends extra headers, but token and tenant win over same-named ones", async () => {
    const client = createClient({
      url: origin,
      token: "real",
      tenant: "acme",
      headers: async () => ({ "x-request-id": "req-1", authorization: "Bearer spoofed", "X-TENANT": "other" }),
    });

    await client.platform.content.get.query({ key: "legal.terms" });

    const headers = requests[0]?.headers;
    expect(headers?.["x-request-id"]).toBe("req-1");
    expect(headers?.authorization).toBe("Bearer real");
    expect(headers?.["x-tenant"]).toBe("acme");
  });

  it("uses the fetch it is given", async () => {
    const seen: string[] = [];
    const client = createClient({
      url: origin,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init as RequestInit);
      },
    });

    await client.platform.content.get.query({ key: "legal.terms" });

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(new RegExp(`^${origin}/trpc/platform\\.content\\.get\\?`));
  });
});

describe("isTenantryError", () => {
  it("recognises a server error and exposes its appCode", async () => {
    answer = {
      status: 404,
      body: [
        {
          error: {
            code: -32004,
            message: "No content for legal.terms.",
            data: { appCode: "CONTENT_NOT_FOUND", httpStatus: 404, path: "platform.content.get" },
          },
        },
      ],
    };
    const client = createClient({ url: origin });

    const error = await client.platform.content.get.query({ key: "legal.terms" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TRPCClientError);
    expect(isTenantryError(error)).toBe(true);
    if (!isTenantryError(error)) return;
    expect(error.data.appCode).toBe("CONTENT_NOT_FOUND");
    expect(error.data.httpStatus).toBe(404);
    expect(error.message).toBe("No content for legal.terms.");
  });

  it("is false for failures without a server answer and for other errors", async () => {
    const client = createClient({ url: await closedOrigin() });

    const error = await client.platform.content.get.query({ key: "legal.terms" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TRPCClientError);
    expect(isTenantryError(error)).toBe(false);
    expect(isTenantryError(new Error("boom"))).toBe(false);
    expect(isTenantryError({ data: { appCode: "FAKE" } })).toBe(false);
  });
});

/** An origin nothing listens on: a port the system handed out and that was closed again. */
async function closedOrigin(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
