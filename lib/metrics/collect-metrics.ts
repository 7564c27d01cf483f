import { databaseFamilies } from "./database-families";
import { renderPrometheus } from "./prometheus-text";
import { fetchProxyTrafficTotals } from "./proxy-metrics-client";
import type { ProxyTrafficTotals } from "./proxy-traffic-totals";
import { trafficFamilies } from "./traffic-families";

/**
 * Everything /metrics shows, as one exposition document: gauges from the database, and the
 * traffic counters the proxy primary holds (left out when the proxy does not answer).
 */
export async function collectMetrics(
  fetchTraffic: () => Promise<ProxyTrafficTotals | null> = () => fetchProxyTrafficTotals(),
  now = new Date(),
): Promise<string> {
  const [database, traffic] = await Promise.all([databaseFamilies(now), fetchTraffic()]);
  const families = traffic === null ? database.families : [...database.families, ...trafficFamilies(traffic, database.siteNames)];
  return renderPrometheus(families);
}
