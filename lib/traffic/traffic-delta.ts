import type { SparseHistogram } from "./latency-histogram";
import { largest, TopSketch } from "./top-sketch";

/**
 * The top-N tables of one (site, minute) or of one stored row: key -> count of requests. Counts
 * are guaranteed ones (see TopSketch): a key's true count is at least this.
 */
export interface TopCounts {
  /** URL path as sent, without the query string, at most 200 characters. */
  paths: Record<string, number>;
  /** The client address as the proxy resolved it (trusted proxies believed). */
  clientIps: Record<string, number>;
  /** Status code of the answer; "0" when the client left before any answer, "101" for a websocket. */
  statuses: Record<string, number>;
}

export const TOP_KINDS = ["paths", "clientIps", "statuses"] as const satisfies readonly (keyof TopCounts)[];
export type TopKind = (typeof TOP_KINDS)[number];

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
  /** Bytes compression kept off the wire: the coded answers' length before coding less after. */
  bytesSavedCompression: number;
  /** Requests the cache answered from its store: fresh, stale, or revalidated with a 304. */
  cacheHits: number;
  /** Requests the cache could have answered but fetched from the upstream (a bypass is neither). */
  cacheMisses: number;
  /** Body bytes the cache answered that the upstream did not have to send. */
  bytesSavedCache: number;
  /** Connections of a pass-through site or a stream that ended (its requests are not seen). */
  connections: number;
  /** Their summed duration. */
  connectionMs: number;
  latency: SparseHistogram;
  top: TopCounts;
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
  bytesSavedCompression: number;
  cacheHits: number;
  cacheMisses: number;
  bytesSavedCache: number;
  connections: number;
  connectionMs: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** The additive counters of a delta (everything but its key, its histogram and its top tables). */
export type TrafficCounts = Omit<TrafficDelta, "siteId" | "minute" | "latency" | "top">;

/** Adds one set of counters onto another, in place: how workers and the primary merge deltas. */
export function addCounts(into: TrafficCounts, from: TrafficCounts): void {
  into.requests += from.requests;
  into.status2xx += from.status2xx;
  into.status3xx += from.status3xx;
  into.status4xx += from.status4xx;
  into.status5xx += from.status5xx;
  into.bytesIn += from.bytesIn;
  into.bytesOut += from.bytesOut;
  into.bytesSavedCompression += from.bytesSavedCompression;
  into.cacheHits += from.cacheHits;
  into.cacheMisses += from.cacheMisses;
  into.bytesSavedCache += from.bytesSavedCache;
  into.connections += from.connections;
  into.connectionMs += from.connectionMs;
}

export const emptyTopCounts = (): TopCounts => ({ paths: {}, clientIps: {}, statuses: {} });

/** The three bounded sketches of one (site, minute) while a worker counts it or the primary merges it. */
export class TopSketches {
  readonly paths: TopSketch;
  readonly clientIps: TopSketch;
  readonly statuses: TopSketch;

  constructor(capacity: number) {
    this.paths = new TopSketch(capacity);
    this.clientIps = new TopSketch(capacity);
    this.statuses = new TopSketch(capacity);
  }

  merge(other: TopSketches): void {
    for (const kind of TOP_KINDS) this[kind].merge(other[kind]);
  }

  addCounts(top: TopCounts): void {
    for (const kind of TOP_KINDS) this[kind].addRecord(top[kind]);
  }

  toCounts(): TopCounts {
    return { paths: this.paths.toRecord(), clientIps: this.clientIps.toRecord(), statuses: this.statuses.toRecord() };
  }
}

/**
 * Exact sums of top tables while the database service merges rows. Maps, not objects: the keys
 * come from the network, and a key such as "__proto__" must stay a key.
 */
export type TopTotals = Record<TopKind, Map<string, number>>;

export const emptyTopTotals = (): TopTotals => ({ paths: new Map(), clientIps: new Map(), statuses: new Map() });

export function addTopCounts(into: TopTotals, from: TopCounts): void {
  for (const kind of TOP_KINDS) {
    const sums = into[kind];
    for (const [key, count] of Object.entries(from[kind])) {
      if (typeof count === "number" && count > 0 && Number.isFinite(count)) sums.set(key, (sums.get(key) ?? 0) + count);
    }
  }
}

/**
 * The `limit` largest counts of each kind (ties broken by key, so the same sums always keep the
 * same keys). A key cut here had at most the smallest count kept, so what is lost per row is
 * bounded by that; the sums of several rows stay lower bounds of the true counts.
 */
export function trimTopTotals(totals: TopTotals, limit: number): TopCounts {
  const trim = (sums: Map<string, number>): Record<string, number> => Object.fromEntries(largest(sums, limit));
  return { paths: trim(totals.paths), clientIps: trim(totals.clientIps), statuses: trim(totals.statuses) };
}
