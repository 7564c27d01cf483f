import type { ProxySnapshot } from "../../lib/schemas/snapshot";
import { parseStatusRange } from "../../lib/schemas/upstream-health";

/** How one address is checked: everything the checker needs, in milliseconds. */
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

/** An address to check, and every site that uses it (for notifications). */
export interface HealthTarget {
  address: string;
  settings: CheckSettings;
  siteIds: string[];
  siteNames: string[];
}

export interface HealthTargets {
  /** Addresses with an active check, by address. */
  checked: Map<string, HealthTarget>;
  /** Every upstream address in the snapshot, checked or not. */
  inUse: Set<string>;
}

/**
 * Which addresses to check, and how. An address shared by several sites is checked once, with
 * the settings of the first site by id among those that have checks on, and reported under all
 * the sites that use it. Sites with checks off are not checked; their upstreams count as up
 * (unless another site checks the same address: the state belongs to the address).
 */
export function healthTargets(snapshot: ProxySnapshot): HealthTargets {
  const checked = new Map<string, HealthTarget>();
  const users = new Map<string, { siteIds: string[]; siteNames: string[] }>();
  const sites = [...snapshot.sites].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const site of sites) {
    for (const upstream of site.upstreams) {
      const address = upstream.url;
      const user = users.get(address) ?? { siteIds: [], siteNames: [] };
      if (!user.siteIds.includes(site.id)) {
        user.siteIds.push(site.id);
        user.siteNames.push(site.name);
      }
      users.set(address, user);
      if (!site.healthCheck.enabled || checked.has(address)) continue;
      const check = site.healthCheck;
      checked.set(address, {
        address,
        settings: {
          url: address,
          path: check.path,
          intervalMs: check.intervalSeconds * 1000,
          timeoutMs: check.timeoutSeconds * 1000,
          expectedStatus: parseStatusRange(check.expectedStatus),
          healthyThreshold: check.healthyThreshold,
          unhealthyThreshold: check.unhealthyThreshold,
          verifyTls: site.verifyUpstreamTls,
        },
        siteIds: [],
        siteNames: [],
      });
    }
  }
  for (const [address, target] of checked) Object.assign(target, users.get(address));
  return { checked, inUse: new Set(users.keys()) };
}

/** Two settings are the same check when this matches: a running checker is kept, with its state. */
export function settingsKey(settings: CheckSettings): string {
  const { url, path, intervalMs, timeoutMs, expectedStatus, healthyThreshold, unhealthyThreshold, verifyTls } = settings;
  return JSON.stringify([url, path, intervalMs, timeoutMs, expectedStatus.from, expectedStatus.to, healthyThreshold, unhealthyThreshold, verifyTls]);
}
