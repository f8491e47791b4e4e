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
 * Statements and transactions per request on PostgreSQL, counted on the wire: fresh server
 * instances (each checkout's product, and the hand-written one) connected through the proxy, each
 * read sent sequentially after a warm-up (caches filled, as in steady state).
 */
export async function printStatementCounts(env: BenchEnvironment, settings: ServerSettings, log: (line: string) => void) {
  const rows: Array<{ target: Target; statements: number; transactions: number }> = [];
  for (const [i, product] of env.products.entries()) {
    const proxy = await countingProxy(new URL(product.db.env.DATABASE_URL!));
    const viaProxy = { ...product.db.env, DATABASE_URL: proxy.url };
    const servers: RunningServer[] = [];
    try {
      const counted = await startProductServer(`product${product.suffix} (counted)`, product.dir, viaProxy, settings);
      servers.push(counted);
      const targets = productTargets(counted, product.tenant, product.suffix);
      if (i === 0) {
        const hand = await startHandWrittenServer("hand-written (counted)", viaProxy, settings);
        servers.push(hand);
        targets.unshift(...handWrittenTargets(hand, product.tenant));
      }
      for (const target of targets) rows.push({ target, ...(await countPerRequest(target, proxy.counts)) });
    } finally {
      for (const server of servers) await server.stop();
      await proxy.close();
    }
  }
  const byRead = rows.sort((a, b) => a.target.read.localeCompare(b.target.read));
  log(`\n${env.backend}: per request, counted on the wire (steady state, sequential requests)`);
  log(
    table(
      ["read", "transport", "statements", "transactions"],
      byRead.map((r) => [r.target.read, r.target.transport, r.statements.toFixed(1), r.transactions.toFixed(1)]),
    ),
  );
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
