/** One load run against one target: throughput, latency percentiles and failures. */
export interface LoadResult {
  /** Requests (or websocket messages) per second. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Failed requests or messages: socket errors, timeouts, and answers other than 2xx or 3xx. */
  errors: number;
}

/** A cell of the table that was not measured, and why (a missing tool, no TLS, no HTTP/2...). */
export interface Skipped {
  skipped: string;
}

export type Outcome = LoadResult | Skipped;

export const isSkipped = (outcome: Outcome): outcome is Skipped => "skipped" in outcome;

/** The value at this fraction (0.5, 0.99) of sorted samples, nearest rank. */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}
