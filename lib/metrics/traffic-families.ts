import { histogramSamples, type MetricFamily, type Sample } from "./prometheus-text";
import type { ProxyTrafficTotals } from "./proxy-traffic-totals";

const CLASSES = ["2xx", "3xx", "4xx", "5xx", "other"] as const;

/**
 * The proxy's traffic counters as Prometheus families, labelled `site_id` (stable, unique) and
 * `site` (the name people read). Counters of a site no longer in the database are left out: the
 * site is gone, and its series simply end, as they do when any target disappears.
 */
export function trafficFamilies(totals: ProxyTrafficTotals, siteNames: ReadonlyMap<string, string>): MetricFamily[] {
  const requests: Sample[] = [];
  const bytesIn: Sample[] = [];
  const bytesOut: Sample[] = [];
  const duration: Sample[] = [];
  const boundsSeconds = totals.latencyBoundsMs.map((ms) => ms / 1000);
  for (const site of totals.sites) {
    const name = siteNames.get(site.siteId);
    if (name === undefined) continue;
    const labels = { site_id: site.siteId, site: name };
    for (const statusClass of CLASSES) requests.push({ labels: { ...labels, class: statusClass }, value: site.requests[statusClass] });
    bytesIn.push({ labels, value: site.bytesIn });
    bytesOut.push({ labels, value: site.bytesOut });
    duration.push(...histogramSamples(labels, boundsSeconds, site.latency.cumulative, site.latency.sumMs / 1000, site.latency.count));
  }
  return [
    {
      name: "gatekeeper_proxy_start_time_seconds",
      help: "When the proxy started counting traffic (Unix time): the traffic counters restart from zero then.",
      type: "gauge",
      samples: [{ value: totals.startedAt / 1000 }],
    },
    {
      name: "gatekeeper_requests_total",
      help: "Requests the proxy answered, by site and status class (other: a websocket upgrade, or a client that left before any answer).",
      type: "counter",
      samples: requests,
    },
    {
      name: "gatekeeper_request_bytes_total",
      help: "Bytes received from clients, on the wire, by site.",
      type: "counter",
      samples: bytesIn,
    },
    {
      name: "gatekeeper_response_bytes_total",
      help: "Bytes sent to clients, on the wire, by site.",
      type: "counter",
      samples: bytesOut,
    },
    {
      name: "gatekeeper_request_duration_seconds",
      help: "Time from routing a request to the end of its answer (a websocket: to the handshake answer), by site; the sum is estimated within 2.5%.",
      type: "histogram",
      samples: duration,
    },
  ];
}
