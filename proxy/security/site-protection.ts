import type { SnapshotAccessList, SnapshotSite } from "../../lib/schemas/snapshot";
import { CompiledAccessList } from "./access-list";
import type { BasicAuthVerifier } from "./basic-auth";
import { ConnectionLimiter } from "./connection-limiter";
import { compileHeaderPlan, type SiteHeaderPlan } from "./header-plan";
import { RequestRateLimiter } from "./request-rate-limiter";

/** Everything that protects one site, compiled with the site. */
export interface SiteProtection {
  readonly accessList: CompiledAccessList | null;
  readonly rateLimiter: RequestRateLimiter | null;
  readonly connectionLimiter: ConnectionLimiter | null;
  readonly blockExploits: boolean;
  readonly headers: SiteHeaderPlan;
  /** Identifies the limits: a reload that changes neither keeps the counters (and a client's spent burst). */
  readonly limitsKey: string;
}

export interface ProtectionInput {
  site: SnapshotSite;
  accessLists: ReadonlyMap<string, SnapshotAccessList>;
  verifier: BasicAuthVerifier;
  previous: SiteProtection | undefined;
}

/** The site's protection, or why it cannot be built (the site then keeps its previous version). */
export function compileProtection({ site, accessLists, verifier, previous }: ProtectionInput): SiteProtection | string {
  let accessList: CompiledAccessList | null = null;
  if (site.accessListId !== null) {
    const rules = accessLists.get(site.accessListId);
    // Fail closed: a site must never be served without the access list it was given.
    if (rules === undefined) return "The access list chosen for this site is missing from the configuration.";
    accessList = new CompiledAccessList(rules, verifier);
  }
  const limitsKey = JSON.stringify(site.rateLimit);
  const keep = previous !== undefined && previous.limitsKey === limitsKey;
  const rateLimit = site.rateLimit;
  return {
    accessList,
    rateLimiter: keep ? previous.rateLimiter : rateLimit === null ? null : new RequestRateLimiter(rateLimit),
    connectionLimiter: keep
      ? previous.connectionLimiter
      : rateLimit?.maxConnectionsPerIp === undefined
        ? null
        : new ConnectionLimiter(rateLimit.maxConnectionsPerIp),
    blockExploits: site.blockExploits,
    headers: compileHeaderPlan(site),
    limitsKey,
  };
}
