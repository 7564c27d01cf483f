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
