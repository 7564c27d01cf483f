import type { ProxySnapshot } from "@/lib/schemas/snapshot";
import type { StreamHealthCheck } from "@/lib/schemas/stream-options";
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
  /** The sites' and streams' upstreams (by id) that take this check's verdict. */
  upstreamIds: string[];
  /** The sites and streams using it, for notifications. */
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

/** What the checks need of a site or a stream: its name, its upstreams and how it checks them. */
interface Checked {
  id: string;
  name: string;
  upstreams: readonly { id: string; url: string }[];
  check: HealthCheck | StreamHealthCheck;
  verifyTls: boolean;
}

/**
 * Which checks to run, and whose upstreams each one judges: each site's upstream, its routes'
 * included, and each stream's is checked with that site's or stream's own settings. Those with
 * checks off are not checked, nor are udp:// upstreams (UDP has no handshake to try); their
 * upstreams count as up.
 */
export function healthTargets(snapshot: ProxySnapshot): HealthTargets {
  const checks = new Map<string, HealthTarget>();
  const checkOf = new Map<string, string>();
  const inUse = new Set<string>();
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const checked: Checked[] = [
    ...[...snapshot.sites].sort(byId).map((site) => ({
      id: site.id,
      name: site.name,
      upstreams: [...site.upstreams, ...site.routes.flatMap((route) => route.upstreams ?? [])],
      check: site.healthCheck,
      verifyTls: site.verifyUpstreamTls,
    })),
    ...[...(snapshot.streams ?? [])].sort(byId).map((stream) => ({
      id: stream.id,
      name: stream.name,
      upstreams: stream.upstreams,
      check: stream.healthCheck,
      verifyTls: false,
    })),
  ];
  for (const owner of checked) {
    for (const upstream of owner.upstreams) {
      inUse.add(upstream.id);
      if (!owner.check.enabled || upstream.url.startsWith("udp://")) continue;
      const settings = checkSettings(upstream.url, owner.check, owner.verifyTls);
      const key = settingsKey(settings);
      const target = checks.get(key) ?? { key, address: upstream.url, settings, upstreamIds: [], siteIds: [], siteNames: [] };
      checks.set(key, target);
      target.upstreamIds.push(upstream.id);
      if (!target.siteIds.includes(owner.id)) {
        target.siteIds.push(owner.id);
        target.siteNames.push(owner.name);
      }
      checkOf.set(upstream.id, key);
    }
  }
  return { checks, checkOf, inUse };
}

/** A TCP connect check reads none of the HTTP settings: fixed, so that all who check an address as often share one probe. */
const CONNECT_ONLY = { path: "", expectedStatus: { from: 0, to: 0 }, verifyTls: false };

function checkSettings(url: string, check: HealthCheck | StreamHealthCheck, verifyTls: boolean): CheckSettings {
  const timing = {
    url,
    intervalMs: check.intervalSeconds * 1000,
    timeoutMs: check.timeoutSeconds * 1000,
    healthyThreshold: check.healthyThreshold,
    unhealthyThreshold: check.unhealthyThreshold,
  };
  // A stream's check has no HTTP settings: its upstreams checked here are all tcp://.
  if (url.startsWith("tcp://") || !("path" in check)) return { ...timing, ...CONNECT_ONLY };
  return { ...timing, path: check.path, expectedStatus: parseStatusRange(check.expectedStatus), verifyTls };
}

/** Two settings are the same check when this matches: one probe, and a running checker is kept with its state. */
export function settingsKey(settings: CheckSettings): string {
  const { url, path, intervalMs, timeoutMs, expectedStatus, healthyThreshold, unhealthyThreshold, verifyTls } = settings;
  return JSON.stringify([url, path, intervalMs, timeoutMs, expectedStatus.from, expectedStatus.to, healthyThreshold, unhealthyThreshold, verifyTls]);
}
