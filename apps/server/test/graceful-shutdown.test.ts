import { conformingFetch } from "./support/rest-conformance.ts";
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { spawnServer } from "./support/spawned-server.ts";
import { testBackends, testEnv } from "./support/test-server.ts";

const postgres = testBackends().find((b) => b.name === "postgres");

// A request made slow for real: its query waits on a table lock held by another connection.
// PostgreSQL only, because an embedded PGlite cannot be locked from outside the process.
describe.runIf(postgres)("graceful shutdown (PostgreSQL)", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGKILL");
  });

  it(
    "on SIGTERM (no drain period) stops accepting, finishes the in-flight request, closes the database, exits 0",
    { timeout: 180_000 },
    async () => {
      const database = await postgres!.create();
      const locker = new pg.Client({ connectionString: database.options.url });
      locker.on("error", () => {});
      try {
        // Uncached content reads, so the second one waits on the lock like the first would have.
        const server = spawnServer(testEnv(database, { CONTENT_CACHE_TTL_MS: "0" }));
        child = server.child;
        const { url } = await server.waitForLog("server listening");
        // One request first: a cold process on a loaded machine can take many seconds to answer
        // its first (route and query set-up), which is not what this test is about.
        expect((await conformingFetch(`${url}/api/v1/platform/content/legal.terms`)).status).toBe(200);

        await locker.connect();
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE platform_content IN ACCESS EXCLUSIVE MODE");

        const inFlight = conformingFetch(`${url}/api/v1/platform/content/legal.terms`);
        let answeredEarly = "";
        void inFlight.then(
          async (res) => (answeredEarly = `answered ${res.status} ${await res.clone().text()}`),
          (error: unknown) => (answeredEarly = `failed: ${String(error)}`),
        );
        // Wait until the server's query is actually blocked on the lock (slow under a busy CI
        // machine: the poll's default second is not enough there). A request that was answered
        // without waiting says so instead of timing out.
        await expect
          .poll(
            async () => {
              if (answeredEarly) return answeredEarly;
              const { rows } = await locker.query(
                "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
              );
              if ((rows[0].n as number) > 0) return "waiting on the lock";
              return `not yet; the server's last log lines: ${JSON.stringify(server.lines.slice(-4))}`;
            },
            { timeout: 60_000, interval: 50 },
          )
          .toBe("waiting on the lock");

        child.kill("SIGTERM");
        await server.waitForLog("shutting down");
        // With no drain period (testEnv's SHUTDOWN_DRAIN_MS=0), new connections are refused at
        // once while the old request is still running; test/faults/shutdown-drain.test.ts covers
        // the drain.
        await expect
          .poll(
            () =>
              fetch(`${url}/health`).then(
                () => "accepted",
                () => "refused",
              ),
            { timeout: 10_000 },
          )
          .toBe("refused");

        await locker.query("COMMIT");
        const res = await inFlight;
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ key: "legal.terms" });

        expect((await server.exited).code).toBe(0);
        expect(server.lines.map((l) => l.msg)).toContain("server stopped");
      } finally {
        await locker.end().catch(() => {});
        await database.drop();
      }
    },
  );
});
