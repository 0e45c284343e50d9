/** Per-request latencies of one run, as the benchmarks print them. */
export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  /** Items per request, for a per-item cost. */
  items: number;
}

/** Nearest-rank percentiles: p99 of 1000 pages is the 10th slowest, a page that really happened. */
export function summary(ms: number[], items = 1): Latencies {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { count: sorted.length, p50: at(50), p99: at(99), items };
}
