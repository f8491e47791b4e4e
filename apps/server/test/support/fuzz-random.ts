/**
 * The fuzz suite's only source of randomness: a small seeded generator (mulberry32), so a run
 * that found something replays exactly with `FUZZ_SEED=<the printed seed>`.
 */

export interface Random {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** A random (version 4) uuid. */
  uuid(): string;
  /** `length` characters from `alphabet`. */
  text(length: number, alphabet?: string): string;
}

/** The seed of this run: `FUZZ_SEED` when set (to replay a run), a fresh one otherwise. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.FUZZ_SEED;
  if (given === undefined || given === "") return Math.floor(Math.random() * 2 ** 32);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new Error(`FUZZ_SEED must be an integer in [0, 2^32), not "${given}"`);
  return seed;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = "0123456789abcdef";
  const text = (length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789") =>
    Array.from({ length }, () => alphabet[int(0, alphabet.length - 1)]).join("");
  return {
    seed,
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)]!;
    },
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
    uuid: () => `${text(8, hex)}-${text(4, hex)}-4${text(3, hex)}-${"89ab"[int(0, 3)]}${text(3, hex)}-${text(12, hex)}`,
    text,
  };
}
