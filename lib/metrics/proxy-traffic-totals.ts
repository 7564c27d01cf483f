import { z } from "zod";

/**
 * The traffic counters the proxy primary has added up since it started, as it hands them to the
 * dashboard over the loopback control port. The dashboard renders them for /metrics, labelled
 * with site names from the database (the primary only knows site ids).
 */
export const PROXY_TRAFFIC_TOTALS_PATH = "/metrics/traffic";

/** The `le` bounds of the request duration histogram, in ms: Prometheus' usual spread, 5 ms to 10 s. */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

const count = z.number().nonnegative();

export const siteTrafficTotalsSchema = z.object({
  siteId: z.string().min(1),
  /** Requests by status class; "other" is a websocket's 101 or a client that left before any answer. */
  requests: z.object({ "2xx": count, "3xx": count, "4xx": count, "5xx": count, other: count }),
  bytesIn: count,
  bytesOut: count,
  latency: z.object({
    /** Observations <= each bound of latencyBoundsMs (cumulative, like Prometheus buckets). */
    cumulative: z.array(count),
    /** Estimated from the log buckets' midpoints: within 2.5% of the true sum. */
    sumMs: count,
    count,
  }),
});

export const proxyTrafficTotalsSchema = z
  .object({
    /** When the primary started counting (epoch ms): counters restart from zero after it. */
    startedAt: z.number().int().nonnegative(),
    /** Sent along, so a dashboard and a proxy of different versions still agree on the buckets. */
    latencyBoundsMs: z.array(z.number().positive()),
    sites: z.array(siteTrafficTotalsSchema),
  })
  .refine(
    (totals) => totals.sites.every((site) => site.latency.cumulative.length === totals.latencyBoundsMs.length),
    "Every site needs one cumulative count per latency bound",
  );

export type SiteTrafficTotals = z.infer<typeof siteTrafficTotalsSchema>;
export type ProxyTrafficTotals = z.infer<typeof proxyTrafficTotalsSchema>;
