import { db } from "../db";
import { listSites } from "../services/sites";
import { getStatus } from "../services/status";
import type { MetricFamily, Sample } from "./prometheus-text";

export interface DatabaseMetrics {
  families: MetricFamily[];
  /** Site id -> name, for labelling the proxy's traffic counters. */
  siteNames: Map<string, string>;
}

/**
 * Gauges read from the database at scrape time: they describe the present (is it up, when does it
 * expire), so they need no history and work whether or not the proxy is running.
 */
export async function databaseFamilies(now = new Date()): Promise<DatabaseMetrics> {
  const [sites, certificates, status] = await Promise.all([
    listSites(),
    // Only issued certificates: an order still running has no real expiry date yet.
    db().certificate.findMany({
      where: { certificatePem: { not: "" } },
      select: { id: true, name: true, domains: true, notAfter: true },
      orderBy: { notAfter: "asc" },
    }),
    getStatus(now),
  ]);

  const enabled: Sample[] = [];
  const upstreams: Sample[] = [];
  for (const site of sites) {
    const labels = { site_id: site.id, site: site.name };
    enabled.push({ labels, value: site.enabled ? 1 : 0 });
    const seen = new Set<string>();
    for (const upstream of site.upstreams) {
      // "unknown" (never checked, or checks off) is no sample at all: 0 would raise a false alarm.
      if (upstream.health.state === "unknown" || seen.has(upstream.url)) continue;
      seen.add(upstream.url);
      upstreams.push({ labels: { ...labels, upstream: upstream.url }, value: upstream.health.state === "up" ? 1 : 0 });
    }
  }

  const expiry: Sample[] = certificates.map((certificate) => ({
    labels: { certificate_id: certificate.id, certificate: certificate.name, domains: domainList(certificate.domains) },
    value: Math.floor(certificate.notAfter.getTime() / 1000),
  }));

  return {
    siteNames: new Map(sites.map((site) => [site.id, site.name])),
    families: [
      {
        name: "gatekeeper_proxy_up",
        help: "1 when the proxy wrote a heartbeat in the last 10 seconds, else 0.",
        type: "gauge",
        samples: [{ value: status.proxy.up ? 1 : 0 }],
      },
      {
        name: "gatekeeper_site_enabled",
        help: "1 when the site is enabled (served by the proxy), 0 when it is disabled.",
        type: "gauge",
        samples: enabled,
      },
      {
        name: "gatekeeper_upstream_up",
        help: "The latest health check of an upstream of a site: 1 up, 0 down (absent until it is checked).",
        type: "gauge",
        samples: upstreams,
      },
      {
        name: "gatekeeper_certificate_expiry_timestamp_seconds",
        help: "When a certificate expires (its notAfter, Unix time).",
        type: "gauge",
        samples: expiry,
      },
    ],
  };
}

/** The stored JSON list as "a.example,b.example" (a label value is a single string). */
function domainList(stored: string): string {
  try {
    const domains: unknown = JSON.parse(stored);
    return Array.isArray(domains) ? domains.filter((name): name is string => typeof name === "string").join(",") : "";
  } catch {
    return "";
  }
}
