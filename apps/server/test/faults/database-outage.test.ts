import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivatePostgres, type PrivatePostgres } from "../support/private-postgres.ts";
import { register } from "../support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "../support/test-server.ts";

/**
 * PostgreSQL restarts under a steady write load (a private server of this test's own; the
 * shared one is never touched). While it is away every request must answer 503
 * DATABASE_UNAVAILABLE with `Retry-After` (never a 500); once it accepts connections again the
 * server must serve within 2 s; and every write the server acknowledged must be there.
 */
describe.runIf(testBackends().some((b) => b.name === "postgres"))("a PostgreSQL restart under load", () => {
  let pg: PrivatePostgres;
  let server: TestServer;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const backend = testBackends({ DATABASE_URL: pg.url }).find((b) => b.name === "postgres")!;
    server = await startTestServer(backend, { TRUST_PROXY_HOPS: "1" }, {}, { sockets: true });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await pg?.destroy();
  });

  it(
    "answers only 503 with Retry-After while it is away, recovers within 2 s, and loses no acknowledged write",
    { timeout: 120_000 },
    async () => {
      const owner = await register(server);
      const statuses = new Map<string, number>();
      const acknowledged: string[] = [];
      const unexpected: string[] = [];
      let stop = false;
      let serial = 0;

      const writer = async (id: number) => {
        while (!stop) {
          serial += 1;
          const slug = `w${id}-${serial}-${Date.now().toString(36)}`;
          let res: Response;
          try {
            res = await fetch(`${server.url}/api/v1/tenants`, {
              method: "POST",
              headers: { authorization: `Bearer ${owner.accessToken}`, "content-type": "application/json" },
              body: JSON.stringify({ slug, name: slug }),
            });
          } catch (error) {
            unexpected.push(`request failed: ${String(error)}`);
            continue;
          }
          const body = (await res.json()) as { slug?: string; data?: { appCode?: string } };
          const key = `${res.status} ${body.data?.appCode ?? ""}`.trim();
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (res.status === 201) acknowledged.push(slug);
          else if (
            res.status !== 503 ||
            body.data?.appCode !== "DATABASE_UNAVAILABLE" ||
            res.headers.get("retry-after") !== "1"
          ) {
            unexpected.push(`${key}: ${JSON.stringify(body).slice(0, 300)}`);
          } else {
            // A client that honours Retry-After would wait; this one comes back sooner, as load does.
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      };

      const writers = Array.from({ length: 6 }, (_, i) => writer(i));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await pg.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await pg.start();
      const back = Date.now();
      // Recovery: the first success after the database accepts connections again.
      let recoveredAfter = Number.POSITIVE_INFINITY;
      while (Date.now() - back < 10_000) {
        const res = await fetch(`${server.url}/api/v1/account`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
        if (res.status === 200) {
          recoveredAfter = Date.now() - back;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      stop = true;
      await Promise.all(writers);

      expect(unexpected, `status counts: ${JSON.stringify(Object.fromEntries(statuses))}`).toEqual([]);
      expect(statuses.get("503 DATABASE_UNAVAILABLE") ?? 0, "the outage was seen").toBeGreaterThan(0);
      expect(recoveredAfter).toBeLessThan(2_000);

      const listed = await fetch(`${server.url}/api/v1/tenants`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
      const slugs = new Set(((await listed.json()) as Array<{ slug: string }>).map((t) => t.slug));
      expect(acknowledged.filter((slug) => !slugs.has(slug))).toEqual([]);
      expect(acknowledged.length).toBeGreaterThan(0);
    },
  );
});
