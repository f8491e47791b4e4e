import { createServer, connect, type Server } from "node:net";
import type { BenchEnvironment } from "./environment.ts";
import { label, type Target } from "./load.ts";
import { table } from "./report.ts";
import { startHandWrittenServer, startProductServer, type RunningServer, type ServerSettings } from "./servers.ts";
import { handWrittenTargets, productTargets } from "./targets.ts";

const sslRequestCode = 80877103;

/**
 * A TCP proxy in front of PostgreSQL that counts what the clients ask for: every simple query
 * (`Q`, which is how `pg` sends BEGIN and COMMIT) and every execute of a prepared statement (`E`).
 * Only the separate, counted server instances below go through it, never the ones under load.
 */
async function countingProxy(upstream: URL) {
  const counts = { statements: 0, transactions: 0 };
  const server: Server = createServer((client) => {
    const db = connect(Number(upstream.port || 5432), upstream.hostname);
    client.pipe(db).on("error", () => client.destroy());
    db.pipe(client).on("error", () => db.destroy());
    client.on("error", () => db.destroy());
    db.on("error", () => client.destroy());
    let pending = Buffer.alloc(0);
    let started = false;
    client.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        // Start-up messages have no type byte: length, then a code (SSL request or protocol version).
        if (!started) {
          if (pending.length < 8) return;
          const length = pending.readInt32BE(0);
          if (pending.length < length) return;
          started = pending.readInt32BE(4) !== sslRequestCode;
          pending = pending.subarray(length);
          continue;
        }
        if (pending.length < 5) return;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) return;
        const type = String.fromCharCode(pending[0]!);
        if (type === "E" || type === "Q") counts.statements += 1;
        if (type === "Q" && /^\s*begin/i.test(pending.subarray(5, 1 + length).toString("utf8"))) counts.transactions += 1;
        pending = pending.subarray(1 + length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const via = new URL(upstream);
  via.hostname = "127.0.0.1";
  via.port = String(port);
  return { url: via.toString(), counts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Statements and transactions per request on PostgreSQL, counted on the wire: a fresh product
 * server and hand-written server, connected through the proxy, each read sent sequentially
 * after a warm-up (caches filled, as in steady state).
 */
export async function printStatementCounts(env: BenchEnvironment, settings: ServerSettings, log: (line: string) => void) {
  const primary = env.products[0]!;
  const proxy = await countingProxy(new URL(primary.db.env.DATABASE_URL!));
  const viaProxy = { ...primary.db.env, DATABASE_URL: proxy.url };
  const servers: RunningServer[] = [];
  try {
    servers.push(await startProductServer("product (counted)", primary.dir, viaProxy, settings));
    servers.push(await startHandWrittenServer("hand-written (counted)", viaProxy, settings));
    const targets = [...handWrittenTargets(servers[1]!.url, primary.tenant), ...productTargets(servers[0]!.url, primary.tenant)];
    const rows: string[][] = [];
    for (const target of targets.sort((a, b) => a.read.localeCompare(b.read))) {
      const perRequest = await countPerRequest(target, proxy.counts);
      rows.push([target.read, target.transport, perRequest.statements.toFixed(1), perRequest.transactions.toFixed(1)]);
    }
    log(`\n${env.backend}: per request, counted on the wire (steady state, sequential requests)`);
    log(table(["read", "transport", "statements", "transactions"], rows));
  } finally {
    for (const server of servers) await server.stop();
    await proxy.close();
  }
}

async function countPerRequest(target: Target, counts: { statements: number; transactions: number }) {
  const send = async () => {
    const res = await fetch(target.url, { headers: await target.headers() });
    if (res.status !== 200) throw new Error(`${label(target)} answered ${res.status}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < 10; i++) await send();
  const before = { ...counts };
  const requests = 100;
  for (let i = 0; i < requests; i++) await send();
  return {
    statements: (counts.statements - before.statements) / requests,
    transactions: (counts.transactions - before.transactions) / requests,
  };
}
