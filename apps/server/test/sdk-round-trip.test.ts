import { createClient, isTenantryError } from "@tenantry/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

describe.each(testBackends())("the SDK against the real server on $name", (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend, {}, {}, { sockets: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("reads the same content as REST", async () => {
    const api = createClient({ url: server.url });
    const viaSdk = await api.platform.content.get.query({ key: "legal.terms", locale: "en" });
    const viaRest = await (await fetch(`${server.url}/api/v1/platform/content/legal.terms?locale=en`)).json();
    expect(viaSdk).toEqual(viaRest);
    const title: string = viaSdk.title;
    expect(title).toBe("Terms of service");
  });

  it("pages through a list, several calls batched into one request", async () => {
    const api = createClient({ url: `${server.url}/` });
    const [first, legal] = await Promise.all([
      api.platform.content.list.query({ limit: 2 }),
      api.platform.content.list.query({ prefix: "legal.", locale: "de" }),
    ]);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const rest = await api.platform.content.list.query({ limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...rest.items].map((i) => i.key)).toEqual(["home.welcome", "legal.privacy", "legal.terms"]);
    expect(legal.items.every((i) => i.locale === "en" && i.fallback)).toBe(true);
  });

  it("surfaces errors with their stable code and field issues", async () => {
    const api = createClient({ url: server.url });
    const missing = await api.platform.content.get.query({ key: "no.such.key" }).catch((e: unknown) => e);
    expect(isTenantryError(missing) && missing.data.appCode).toBe("CONTENT_NOT_FOUND");

    const invalid = await api.platform.content.get.query({ key: "Bad Key" }).catch((e: unknown) => e);
    expect(isTenantryError(invalid)).toBe(true);
    if (!isTenantryError(invalid)) return;
    expect(invalid.data.appCode).toBe("VALIDATION_FAILED");
    expect(invalid.data.httpStatus).toBe(400);
    expect(invalid.data.issues?.[0]?.field).toBe("key");
  });
});
