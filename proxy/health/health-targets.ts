import type { ProxySnapshot } from "@/lib/schemas/snapshot";
import { parseStatusRange, type HealthCheck } from "@/lib/schemas/upstream-health";

/** How an address is checked: everything the checker needs, in milliseconds. */
export interface CheckSettings {
  /** The upstream URL as configured (origin and optional path prefix): the address. */
  url: string;
  /** Appended to the URL, so that a path prefix in the upstream URL is kept. */
  path: string;
  intervalMs: number;
  timeoutMs: number;
  expectedStatus: { from: number; to: number };
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** For https upstreams: verify the certificate (the site's verifyUpstreamTls). */
  verifyTls: boolean;
}

/**
 * One check: an address probed with one set of settings. Sites that check the same address the
 * same way share it (one probe); a site with other settings gets its own.
 */
export interface HealthTarget {
  /** settingsKey(settings): the check's identity. */
  key: string;
  address: string;
  settings: CheckSettings;
  /** The sites' upstreams (by id) that take this check's verdict. */
  upstreamIds: string[];
  /** The sites using it, for notifications. */
  siteIds: string[];
  siteNames: string[];
}

export interface HealthTargets {
  /** Every check to run, by key. */
  checks: Map<string, HealthTarget>;
  /** The check of each checked upstream (by upstream id). */
  checkOf: Map<string, string>;
  /** Every upstream id in the snapshot, checked or not. */
  inUse: Set<string>;
}

/**
 * Which checks to run, and whose upstreams each one judges: each site's upstream, its routes'
 * included, is checked with that site's own settings. Sites with checks off are not checked;
 * their upstreams count as up.
 */
export function healthTargets(snapshot: ProxySnapshot): HealthTargets {
  const checks = new Map<string, HealthTarget>();
  const checkOf = new Map<string, string>();
  const inUse = new Set<string>();
  const sites = [...snapshot.sites].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const site of sites) {
    for (const upstream of [...site.upstreams, ...site.routes.flatMap((route) => route.upstreams ?? [])]) {
      inUse.add(upstream.id);
      if (!site.healthCheck.enabled) continue;
      const settings = checkSettings(upstream.url, site.healthCheck, site.verifyUpstreamTls);
      const key = settingsKey(settings);
      const target = checks.get(key) ?? { key, address: upstream.url, settings, upstreamIds: [], siteIds: [], siteNames: [] };
      checks.set(key, target);
      target.upstreamIds.push(upstream.id);
      if (!target.siteIds.includes(site.id)) {
        target.siteIds.push(site.id);
        target.siteNames.push(site.name);
      }
      checkOf.set(upstream.id, key);
    }
  }
  return { checks, checkOf, inUse };
}

function checkSettings(url: string, check: HealthCheck, verifyTls: boolean): CheckSettings {
  return {
    url,
    path: check.path,
    intervalMs: check.intervalSeconds * 1000,
    timeoutMs: check.timeoutSeconds * 1000,
    expectedStatus: parseStatusRange(check.expectedStatus),
    healthyThreshold: check.healthyThreshold,
    unhealthyThreshold: check.unhealthyThreshold,
    verifyTls,
  };
}

/** Two settings are the same check when this matches: one probe, and a running checker is kept with its state. */
export function settingsKey(settings: CheckSettings): string {
  const { url, path, intervalMs, timeoutMs, expectedStatus, healthyThreshold, unhealthyThreshold, verifyTls } = settings;
  return JSON.stringify([url, path, intervalMs, timeoutMs, expectedStatus.from, expectedStatus.to, healthyThreshold, unhealthyThreshold, verifyTls]);
}
