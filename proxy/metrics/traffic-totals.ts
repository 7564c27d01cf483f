import { BUCKET_COUNT, bucketUpperMs } from "@/lib/traffic/latency-histogram";
import type { TrafficDelta } from "@/lib/traffic/traffic-delta";
import { LATENCY_BOUNDS_MS, type ProxyTrafficTotals, type SiteTrafficTotals } from "@/lib/metrics/proxy-traffic-totals";

/** Far more sites than anyone configures; only a pathological churn of sites ever reaches it. */
const DEFAULT_MAX_SITES = 10_000;

/**
 * For each log bucket of the latency histogram, the `le` slot it counts in: the first bound at or
 * above the bucket's upper edge (slot LATENCY_BOUNDS_MS.length is +Inf). A log bucket is 5% wide,
 * so a request just under a bound may count in the next one: the same 5% the percentiles carry.
 */
const SLOT_OF_BUCKET = Array.from({ length: BUCKET_COUNT }, (_, bucket) => {
  const upper = bucketUpperMs(bucket);
  const slot = LATENCY_BOUNDS_MS.findIndex((bound) => upper <= bound * (1 + 1e-9));
  return slot === -1 ? LATENCY_BOUNDS_MS.length : slot;
});

/** The midpoint of each log bucket, for the histogram's _sum (the histogram keeps no exact sum). */
const MIDPOINT_OF_BUCKET = Array.from({ length: BUCKET_COUNT }, (_, bucket) =>
  bucket === 0 ? bucketUpperMs(0) / 2 : (bucketUpperMs(bucket - 1) + bucketUpperMs(bucket)) / 2,
);

/** What the totals read of a TrafficDelta (its minute and top tables do not matter here). */
export type TrafficTotalsInput = Pick<
  TrafficDelta,
  "siteId" | "requests" | "status2xx" | "status3xx" | "status4xx" | "status5xx" | "bytesIn" | "bytesOut" | "latency"
>;

interface SiteCounters {
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  other: number;
  bytesIn: number;
  bytesOut: number;
  /** Per `le` slot, not cumulative (cumulated when read); the last slot is +Inf. */
  latencySlots: number[];
  latencySumMs: number;
  latencyCount: number;
}

/**
 * Cumulative traffic per site since the primary started: Prometheus counters, which must never go
 * down (the database rows cannot give that: they are rolled up and pruned). Fed with the same
 * deltas the primary writes to the database. Memory is a few numbers per site, capped: past the
 * cap the site updated longest ago is forgotten (its counters restart, which Prometheus handles).
 */
export class TrafficTotals {
  /** In order of last update, oldest first (re-inserted on each update). */
  private readonly sites = new Map<string, SiteCounters>();

  constructor(
    readonly startedAt: number = Date.now(),
    private readonly maxSites: number = DEFAULT_MAX_SITES,
  ) {}

  get siteCount(): number {
    return this.sites.size;
  }

  add(deltas: readonly TrafficTotalsInput[]): void {
    for (const delta of deltas) this.addOne(delta);
  }

  private addOne(delta: TrafficTotalsInput): void {
    let site = this.sites.get(delta.siteId);
    if (site === undefined) site = emptyCounters();
    else this.sites.delete(delta.siteId);
    this.sites.set(delta.siteId, site);

    site.status2xx += delta.status2xx;
    site.status3xx += delta.status3xx;
    site.status4xx += delta.status4xx;
    site.status5xx += delta.status5xx;
    // Per delta, so that "other" only ever grows even if a delta were inconsistent.
    site.other += Math.max(0, delta.requests - delta.status2xx - delta.status3xx - delta.status4xx - delta.status5xx);
    site.bytesIn += delta.bytesIn;
    site.bytesOut += delta.bytesOut;
    for (const [index, count] of Object.entries(delta.latency)) {
      const bucket = Number(index);
      const slot = SLOT_OF_BUCKET[bucket];
      const midpoint = MIDPOINT_OF_BUCKET[bucket];
      if (slot === undefined || midpoint === undefined || !(count > 0)) continue;
      site.latencySlots[slot]! += count;
      site.latencySumMs += count * midpoint;
      site.latencyCount += count;
    }

    while (this.sites.size > this.maxSites) {
      const oldest = this.sites.keys().next().value;
      if (oldest === undefined) break;
      this.sites.delete(oldest);
    }
  }

  /** A plain copy for the control port, sorted by site id so that the output is stable. */
  snapshot(): ProxyTrafficTotals {
    const sites = [...this.sites.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([siteId, site]) => toTotals(siteId, site));
    return { startedAt: this.startedAt, latencyBoundsMs: [...LATENCY_BOUNDS_MS], sites };
  }
}

function emptyCounters(): SiteCounters {
  return {
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    other: 0,
    bytesIn: 0,
    bytesOut: 0,
    latencySlots: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0),
    latencySumMs: 0,
    latencyCount: 0,
  };
}

function toTotals(siteId: string, site: SiteCounters): SiteTrafficTotals {
  let running = 0;
  const cumulative = LATENCY_BOUNDS_MS.map((_, slot) => (running += site.latencySlots[slot]!));
  return {
    siteId,
    requests: { "2xx": site.status2xx, "3xx": site.status3xx, "4xx": site.status4xx, "5xx": site.status5xx, other: site.other },
    bytesIn: site.bytesIn,
    bytesOut: site.bytesOut,
    latency: { cumulative, sumMs: site.latencySumMs, count: site.latencyCount },
  };
}
