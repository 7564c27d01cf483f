import { askProxyGet } from "../config/control-client";
import { PROXY_TRAFFIC_TOTALS_PATH, proxyTrafficTotalsSchema, type ProxyTrafficTotals } from "./proxy-traffic-totals";

/** Well inside a scrape's usual 10 s timeout, so a stuck proxy still leaves the gauges an answer. */
const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Asks the proxy primary for its traffic counters over the loopback control port. Resolves null
 * whenever there is no usable answer (proxy down, too slow, an older proxy without the route, an
 * answer of another shape): /metrics then serves the database gauges alone.
 */
export async function fetchProxyTrafficTotals(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ProxyTrafficTotals | null> {
  try {
    const parsed = proxyTrafficTotalsSchema.safeParse(await askProxyGet<unknown>(PROXY_TRAFFIC_TOTALS_PATH, timeoutMs));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
