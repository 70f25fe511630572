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
