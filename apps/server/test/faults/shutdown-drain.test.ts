import { conformingFetch } from "../support/rest-conformance.ts";
import { request } from "node:http";
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { spawnServer } from "../support/spawned-server.ts";
import { testBackends, testEnv } from "../support/test-server.ts";

const postgres = testBackends().find((b) => b.name === "postgres");
const inFlightCount = 50;
const drainMs = 2_000;
const shutdownTimeoutMs = 30_000;

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
  at: number;
}

/** One GET on a connection of its own (no pooled keep-alive socket), as a new client would. */
function getOnNewConnection(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body, at: Date.now() }));
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * A rolling deploy sends SIGTERM while requests are in flight and the load balancer has not yet
 * noticed. Every request the server was sent must be answered; `/ready` must say it is
 * draining so the balancer stops sending; keep-alive connections must be told to close; and
 * the process must exit once the last answer is out, not at the shutdown timeout.
 * PostgreSQL only: the requests are made slow for real by a table lock held from outside.
 */
describe.runIf(postgres)("draining on SIGTERM (PostgreSQL)", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGKILL");
  });

  it(
    `${inFlightCount} requests in flight at SIGTERM: all answered, /ready 503 while draining, exit after the last`,
    { timeout: 180_000 },
    async () => {
      const database = await postgres!.create();
      const locker = new pg.Client({ connectionString: database.options.url });
      locker.on("error", () => {});
      try {
        const server = spawnServer(
          // Uncached content reads, so the requests below wait on the lock like the first would have.
          testEnv(database, {
            SHUTDOWN_DRAIN_MS: String(drainMs),
            SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
            CONTENT_CACHE_TTL_MS: "0",
          }),
        );
        child = server.child;
        const { url } = await server.waitForLog("server listening");
        const content = `${url}/api/v1/platform/content/legal.terms`;
        // A cold process can take seconds over its first answer; that is not what this is about.
        expect((await conformingFetch(content)).status).toBe(200);

        await locker.connect();
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE platform_content IN ACCESS EXCLUSIVE MODE");

        const inFlight = Array.from({ length: inFlightCount }, () =>
          conformingFetch(content).then(
            async (res): Promise<Answer> => ({
              status: res.status,
              connection: res.headers.get("connection") ?? undefined,
              body: await res.text(),
              at: Date.now(),
            }),
            (error: unknown) => ({ status: 0, connection: undefined, body: String(error), at: Date.now() }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 150));
        child.kill("SIGTERM");
        const signalledAt = Date.now();
        await server.waitForLog("shutting down");

        // While draining, the listener still takes new connections: the balancer's probe learns
        // the instance is going, liveness stays fine, and both are told not to keep the connection.
        const ready = await getOnNewConnection(`${url}/ready`);
        expect(ready.status, ready.body).toBe(503);
        expect(JSON.parse(ready.body)).toMatchObject({ status: "draining" });
        expect(ready.connection).toBe("close");
        const health = await getOnNewConnection(`${url}/health`);
        expect(health.status).toBe(200);
        expect(health.connection).toBe("close");

        // The requests are still waiting on the lock when the drain period ends.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, signalledAt + drainMs + 500 - Date.now())));
        await locker.query("COMMIT");
        const answers = await Promise.all(inFlight);
        const exit = await server.exited;

        const failed = answers.filter((a) => a.status !== 200);
        expect(failed.length, `failed: ${JSON.stringify(failed.slice(0, 3))}`).toBe(0);
        expect(answers.filter((a) => a.connection !== "close")).toEqual([]);
        expect(exit.code).toBe(0);
        const lastAnswerAt = Math.max(...answers.map((a) => a.at));
        // Exit follows the last answer at once (tens of milliseconds; 2 s leaves room for a busy
        // machine). Before, idle keep-alive connections held it for seconds, up to the timeout.
        const timing = `exit ${exit.at - lastAnswerAt} ms after the last answer, ${exit.at - signalledAt} ms after SIGTERM`;
        expect(exit.at - lastAnswerAt, timing).toBeLessThan(2_000);
      } finally {
        await locker.end().catch(() => {});
        await database.drop();
      }
    },
  );
});
