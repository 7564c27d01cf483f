import type { SparseHistogram } from "./latency-histogram";

/** What one worker counted for one site in one minute since its last hand-over to the primary. */
export interface TrafficDelta {
  siteId: string;
  /** Start of the minute, epoch ms (UTC). */
  minute: number;
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  bytesIn: number;
  bytesOut: number;
  latency: SparseHistogram;
}

/** One point of GET /api/v1/traffic. */
export interface TrafficPoint {
  t: string;
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  bytesIn: number;
  bytesOut: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** The additive counters of a delta (everything but its key and its histogram). */
export type TrafficCounts = Omit<TrafficDelta, "siteId" | "minute" | "latency">;

/** Adds one set of counters onto another, in place: how workers and the primary merge deltas. */
export function addCounts(into: TrafficCounts, from: TrafficCounts): void {
  into.requests += from.requests;
  into.status2xx += from.status2xx;
  into.status3xx += from.status3xx;
  into.status4xx += from.status4xx;
  into.status5xx += from.status5xx;
  into.bytesIn += from.bytesIn;
  into.bytesOut += from.bytesOut;
}
