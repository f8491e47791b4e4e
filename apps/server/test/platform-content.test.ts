import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

describe.each(testBackends())("platform content over HTTP on $name", (backend) => {
  let server: TestServer;
  const rest = (path: string, init?: RequestInit) => fetch(`${server.url}/api/v1${path}`, init);
  const trpcGet = (procedure: string, input: unknown) =>
    fetch(`${server.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves seeded content over REST", async () => {
    const res = await rest("/platform/content/legal.terms?locale=en");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      key: "legal.terms",
      locale: "en",
      fallback: false,
      title: "Terms of service",
    });
  });

  it("returns the same entry over tRPC as over REST", async () => {
    const viaRest = await (await rest("/platform/content/home.welcome?locale=de")).json();
    const res = await trpcGet("platform.content.get", { key: "home.welcome", locale: "de" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: unknown } };
    expect(body.result.data).toEqual(viaRest);
  });

  it("falls back from region to language to the platform default", async () => {
    const swiss = await (await rest("/platform/content/home.welcome?locale=de-ch")).json();
    expect(swiss).toMatchObject({ locale: "de", fallback: true, title: "Willkommen bei Tenantry" });
    const french = await (await rest("/platform/content/legal.terms?locale=fr")).json();
    expect(french).toMatchObject({ locale: "en", fallback: true });
    const byDefault = await (await rest("/platform/content/legal.terms")).json();
    expect(byDefault).toMatchObject({ locale: "en", fallback: false });
  });

  it("without a locale, serves the language the request's Accept-Language wants most", async () => {
    const read = async (headers: Record<string, string>, query = "") =>
      (await (await rest(`/platform/content/home.welcome${query}`, { headers })).json()) as { locale: string; fallback: boolean };
    expect(await read({ "accept-language": "ru-RU,ru;q=0.9,en;q=0.8" })).toMatchObject({ locale: "ru", fallback: true });
    expect(await read({ "accept-language": "fr;q=0.2, de" })).toMatchObject({ locale: "de", fallback: false });
    expect(await read({ "accept-language": "ru;q=0, *" })).toMatchObject({ locale: "en", fallback: false });
    expect(await read({ "accept-language": "!!!, ;q=x" })).toMatchObject({ locale: "en", fallback: false });
    // An explicit locale wins over the header.
    expect(await read({ "accept-language": "ru" }, "?locale=de")).toMatchObject({ locale: "de" });
    const list = (await (await rest("/platform/content?prefix=legal.", { headers: { "accept-language": "ru" } })).json()) as {
      items: Array<{ locale: string }>;
    };
    expect(list.items.map((item) => item.locale)).toEqual(["ru", "ru"]);
  });

  it("answers 404 with a stable code for missing content", async () => {
    const res = await rest("/platform/content/no.such.key");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      code: "NOT_FOUND",
      data: { appCode: "CONTENT_NOT_FOUND", httpStatus: 404 },
    });
  });

  it.each([
    ["/platform/content/Not%20A%20Key", "key"],
    ["/platform/content/legal.terms?locale=not_a_locale!", "locale"],
    ["/platform/content?limit=0", "limit"],
    ["/platform/content?limit=abc", "limit"],
    ["/platform/content?limit=101", "limit"],
    ["/platform/content?prefix=DROP%20TABLE", "prefix"],
  ])("rejects bad input %s with 400 naming the field %s", async (path, field) => {
    const res = await rest(path);
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      message: string;
      data: { appCode: string; issues: Array<{ field: string }>; stack?: string };
    };
    expect(body.data.appCode).toBe("VALIDATION_FAILED");
    expect(body.data.issues.map((i) => i.field)).toContain(field);
    expect(body.message).toContain(`${field}:`);
    expect(body.data.stack).toBeUndefined();
  });

  it("rejects bad tRPC input with the same error data", async () => {
    const res = await trpcGet("platform.content.get", { key: 42 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { appCode: string; issues: Array<{ field: string }> } } };
    expect(body.error.data.appCode).toBe("VALIDATION_FAILED");
    expect(body.error.data.issues[0]?.field).toBe("key");
  });

  it("pages through the list with an opaque cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await rest(`/platform/content${query}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: Array<{ key: string }>; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i) => i.key));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["home.welcome", "legal.privacy", "legal.terms"]);

    const legal = (await (await rest("/platform/content?prefix=legal.")).json()) as { items: Array<{ key: string }> };
    expect(legal.items.map((i) => i.key)).toEqual(["legal.privacy", "legal.terms"]);
  });

  it("refuses a forged cursor with 400", async () => {
    const res = await rest("/platform/content?cursor=%25%25not-base64");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ data: { appCode: "INVALID_CURSOR" } });
  });
});
