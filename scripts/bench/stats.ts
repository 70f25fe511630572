// Timing helpers for benchmarks: percentiles over per-iteration samples.

/** The q-quantile (0..1) of samples, nearest-rank. */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Runs fn `warmup` times unmeasured, then `iterations` times, returning milliseconds per run. */
export function sample(fn: () => void, iterations: number, warmup: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

/** Prints one figure in the `name: value unit` format every benchmark uses. */
export function report(name: string, value: number, unit: string): void {
  console.log(`${name}: ${value.toFixed(3)} ${unit}`);
}

/**
 * Percentiles that hold up on a shared, noisy machine: the run is split into rounds, each
 * round's quantile is taken, and the median over rounds is reported.
 */
export function roundedQuantiles(
  fn: () => void,
  { rounds, iterations, warmup }: { rounds: number; iterations: number; warmup: number },
  qs: readonly number[],
): number[] {
  const perRound = qs.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    const samples = sample(fn, iterations, r === 0 ? warmup : 0);
    qs.forEach((q, k) => perRound[k]?.push(quantile(samples, q)));
  }
  return perRound.map((values) => quantile(values, 0.5));
}
