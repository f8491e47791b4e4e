/**
 * What checking an access token costs per request: every check in full (`rememberVerified: 0`,
 * the reference) against the default, which remembers a genuine token until it expires.
 *   pnpm bench:tokens                      (BENCH_ROUNDS=5 · BENCH_VERIFIES=20000)
 * Interleaved rounds in one process; the figure that matters is the ratio. Figures only.
 */
import { createAccessTokens } from "@tenantry/auth";

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const verifies = Number(process.env.BENCH_VERIFIES ?? 20_000);
const options = { secret: "bench-secret-that-is-at-least-32-bytes-long", issuer: "bench", audience: "bench" };
const variants = {
  "every check (reference)": createAccessTokens({ ...options, rememberVerified: 0 }),
  remembered: createAccessTokens(options),
};
// As many clients as a busy server sees in a token's lifetime, each sending its token in turn.
const tokens = await Promise.all(
  Array.from({ length: 200 }, (_, i) =>
    variants.remembered.sign({ userId: crypto.randomUUID(), sessionId: crypto.randomUUID(), role: i % 2 ? "user" : "admin" }),
  ),
);

const perVerify: Record<string, number[]> = {};
for (let round = 0; round < rounds; round++) {
  for (const [name, variant] of Object.entries(variants)) {
    const started = process.cpuUsage();
    for (let i = 0; i < verifies; i++) await variant.verify(tokens[i % tokens.length]!.token);
    const used = process.cpuUsage(started);
    (perVerify[name] ??= []).push((used.user + used.system) / verifies);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const reference = median(perVerify["every check (reference)"]!);
for (const [name, values] of Object.entries(perVerify)) {
  const value = median(values);
  console.log(
    `${name.padEnd(26)} ${value.toFixed(1).padStart(7)} µs CPU per verify   ${(reference / value).toFixed(1)}× the reference`,
  );
}
