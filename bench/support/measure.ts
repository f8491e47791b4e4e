/**
 * Runs `run` `rounds` times after a warm-up and prints its median and 90th percentile; returns
 * the median in milliseconds.
 */
export async function measure(label: string, rounds: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  const p90 = samples[Math.floor(samples.length * 0.9)]!;
  console.log(
    `${label.padEnd(56)} median ${(median * 1000).toFixed(0).padStart(6)} µs   p90 ${(p90 * 1000).toFixed(0).padStart(6)} µs`,
  );
  return median;
}
