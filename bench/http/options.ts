import path from "node:path";

/** Everything `pnpm bench:http` can be told, read once from the environment and the arguments. */
export interface BenchOptions {
  /** Seconds per measured run. */
  duration: number;
  rounds: number;
  connections: number;
  backends: Array<"postgres" | "pglite">;
  /** PostgreSQL server to create the bench databases on (its `test` database is only a way in). */
  postgresUrl: string | undefined;
  /** The 1,000 vs 1,000,000 notifications step (PostgreSQL only), and its clients. */
  scale: boolean;
  scaleConnections: number;
  /** The checkout whose server is measured, and optionally an older one beside it. */
  serverDir: string;
  otherServerDir: string | undefined;
  /** CI mode: short runs; exit 1 when a product ratio falls below `guardMinRatio`. */
  guard: boolean;
  guardMinRatio: number;
  /** Where the servers write CPU profiles (absolute), when asked for. */
  cpuProfileDir: string | undefined;
}

const repoRoot = path.resolve(import.meta.dirname, "../..");

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got "${raw}"`);
  return value;
}

export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const guard = argv.includes("--guard") || env.BENCH_SHORT === "1";
  const postgresUrl = env.DATABASE_URL || undefined;
  const backend = env.BENCH_BACKEND ?? (postgresUrl ? "postgres" : "pglite");
  if (!["postgres", "pglite", "both"].includes(backend))
    throw new Error(`BENCH_BACKEND: postgres, pglite or both, not "${backend}"`);
  const backends = backend === "both" ? (["postgres", "pglite"] as const) : ([backend] as ["postgres" | "pglite"]);
  if (backends.includes("postgres") && !postgresUrl) {
    throw new Error("BENCH_BACKEND=postgres needs DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)");
  }
  return {
    // The short mode trades precision for time: enough to catch a collapse, not a drift.
    duration: numberFrom("BENCH_DURATION", guard ? 2 : 8),
    rounds: Math.round(numberFrom("BENCH_ROUNDS", guard ? 2 : 3)),
    connections: Math.round(numberFrom("BENCH_CONNECTIONS", 32)),
    backends: [...backends],
    postgresUrl,
    scale: !guard && env.BENCH_SCALE !== "0",
    scaleConnections: Math.round(numberFrom("BENCH_SCALE_CONNECTIONS", 1)),
    serverDir: repoRoot,
    otherServerDir: env.BENCH_SERVER_DIR ? path.resolve(env.BENCH_SERVER_DIR) : undefined,
    guard,
    // The product serves 0.8–1.0× the hand-written server's req/s; the guard is for a collapse
    // (CI sets 0.5), not for the noise of 2-second runs on shared cores.
    guardMinRatio: numberFrom("BENCH_GUARD_MIN_RATIO", 0.25),
    cpuProfileDir: env.BENCH_CPU_PROF ? path.resolve(env.BENCH_CPU_PROF) : undefined,
  };
}
