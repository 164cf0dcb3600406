/** A latency distribution as the demo reports it: nearest-rank percentiles, in whole ms. */
export interface LatencyStats {
  readonly p50: number | null;
  readonly p99: number | null;
  readonly n: number;
}

export function latencyStats(samplesMs: readonly number[]): LatencyStats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const rank = (p: number): number | null => (sorted.length === 0 ? null : Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!));
  return { p50: rank(50), p99: rank(99), n: sorted.length };
}
