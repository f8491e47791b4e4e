/**
 * Prints what authentication costs and whether failures leak account existence by timing.
 *   pnpm bench:auth                      (embedded PGlite)
 *   DATABASE_URL=postgresql://… pnpm bench:auth
 * Figures only: nothing here passes or fails.
 */
import { createLogger, loadConfig, startServer } from "@tenantry/server";

const rounds = Number(process.env.BENCH_ROUNDS ?? 40);

function summarize(label: string, samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  console.log(
    `${label.padEnd(44)} median ${at(0.5).toFixed(2).padStart(7)} ms   p90 ${at(0.9).toFixed(2).padStart(7)} ms   (n=${samples.length})`,
  );
  return at(0.5);
}

async function time(run: () => Promise<Response>, expectStatus: number): Promise<number> {
  const started = performance.now();
  const res = await run();
  await res.arrayBuffer();
  const elapsed = performance.now() - started;
  if (res.status !== expectStatus) throw new Error(`expected ${expectStatus}, got ${res.status}`);
  return elapsed;
}

const { config } = loadConfig({
  NODE_ENV: "test",
  PORT: "0",
  LOG_LEVEL: "silent",
  PGLITE_DATA_DIR: "memory://",
  JWT_SECRET: "bench-secret-that-is-at-least-32-bytes-long",
  // Per-IP limits would stop the loop: each attempt comes from its own forwarded address.
  TRUST_PROXY_HOPS: "1",
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
});
const server = await startServer(config, createLogger(config));
const api = `${server.url}/api/v1`;
const json = (body: unknown, ip: string) => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-forwarded-for": ip },
  body: JSON.stringify(body),
});

try {
  const email = `bench-${Date.now()}@example.com`;
  const registered = await fetch(`${api}/auth/email/register`, json({ email, password: "bench-Password-42!" }, "10.0.0.1"));
  const { accessToken } = (await registered.json()) as { accessToken: string };

  // Limits are per email and per IP: each attempt uses its own account and forwarded address.
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const existing = `bench-${Date.now()}-${i}@example.com`;
    await fetch(`${api}/auth/email/register`, json({ email: existing, password: "bench-Password-42!" }, `10.3.0.${i}`));
    known.push(
      await time(
        () => fetch(`${api}/auth/email/sign-in`, json({ email: existing, password: "wrong-password-1" }, `10.1.0.${i}`)),
        401,
      ),
    );
    unknown.push(
      await time(
        () =>
          fetch(
            `${api}/auth/email/sign-in`,
            json({ email: `nobody-${i}@example.com`, password: "wrong-password-1" }, `10.2.0.${i}`),
          ),
        401,
      ),
    );
  }
  console.log(`database: ${server.db.kind}`);
  const a = summarize("sign-in failure, known email (wrong password)", known);
  const b = summarize("sign-in failure, unknown email", unknown);
  console.log(`difference of medians: ${(a - b).toFixed(2)} ms (${((Math.abs(a - b) / a) * 100).toFixed(1)} %)`);

  const publicRead: number[] = [];
  const authedRead: number[] = [];
  for (let i = 0; i < rounds * 5; i++) {
    publicRead.push(await time(() => fetch(`${api}/platform/content/legal.terms`), 200));
    authedRead.push(await time(() => fetch(`${api}/account`, { headers: { authorization: `Bearer ${accessToken}` } }), 200));
  }
  const p = summarize("public read (platform content)", publicRead);
  const q = summarize("authenticated read (JWT + session check)", authedRead);
  console.log(`authentication overhead per request: ~${(q - p).toFixed(2)} ms (median difference)`);
} finally {
  await server.close();
}
