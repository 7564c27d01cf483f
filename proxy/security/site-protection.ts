import type { SnapshotAccessList, SnapshotSite } from "@/lib/schemas/snapshot";
import { CompiledAccessList } from "./access-list";
import type { BasicAuthVerifier } from "./basic-auth";
import { ConnectionLimiter } from "./connection-limiter";
import { compileHeaderPlan, type SiteHeaderPlan } from "./header-plan";
import { RequestRateLimiter, type RateDecision, type RateLimitPolicy } from "./request-rate-limiter";

/** A site's per-address rate limit: decided here, or by the primary for all workers (a Promise). */
export interface RateLimiting {
  readonly policy: RateLimitPolicy;
  take(client: string): RateDecision | Promise<RateDecision>;
}

/** A site's cap on requests in progress per address; `release` once per granted `acquire`. */
export interface ConnectionLimiting {
  readonly maxPerClient: number;
  acquire(client: string): boolean | Promise<boolean>;
  release(client: string): void;
}

/** Where a site's limiters come from: this process alone, or shared by all workers (shared-limits.ts). */
export interface LimiterFactory {
  rateLimiter(limitsKey: string, policy: RateLimitPolicy): RateLimiting;
  connectionLimiter(limitsKey: string, maxPerClient: number): ConnectionLimiting;
}

/** Limits counted by this process alone: exact when it sees all of an address's requests. */
export const LOCAL_LIMITS: LimiterFactory = {
  rateLimiter: (_key, policy) => new RequestRateLimiter(policy),
  connectionLimiter: (_key, maxPerClient) => new ConnectionLimiter(maxPerClient),
};

/** Everything that protects one site, compiled with the site. */
export interface SiteProtection {
  readonly accessList: CompiledAccessList | null;
  readonly rateLimiter: RateLimiting | null;
  readonly connectionLimiter: ConnectionLimiting | null;
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
  /** Default: LOCAL_LIMITS. */
  limits?: LimiterFactory;
}

/** The site's protection, or why it cannot be built (the site then keeps its previous version). */
export function compileProtection({ site, accessLists, verifier, previous, limits = LOCAL_LIMITS }: ProtectionInput): SiteProtection | string {
  let accessList: CompiledAccessList | null = null;
  if (site.accessListId !== null) {
    const rules = accessLists.get(site.accessListId);
    // Fail closed: a site must never be served without the access list it was given.
    if (rules === undefined) return "The access list chosen for this site is missing from the configuration.";
    accessList = new CompiledAccessList(rules, verifier);
  }
  const limitsKey = siteLimitsKey(site);
  const keep = previous !== undefined && previous.limitsKey === limitsKey;
  const rateLimit = site.rateLimit;
  return {
    accessList,
    rateLimiter: keep ? previous.rateLimiter : rateLimit === null ? null : limits.rateLimiter(limitsKey, rateLimit),
    connectionLimiter: keep
      ? previous.connectionLimiter
      : rateLimit?.maxConnectionsPerIp === undefined
        ? null
        : limits.connectionLimiter(limitsKey, rateLimit.maxConnectionsPerIp),
    blockExploits: site.blockExploits,
    headers: compileHeaderPlan(site),
    limitsKey,
  };
}

/**
 * Names a site's limits: the same in every worker and in the primary, and new whenever the limits
 * change (counters then start afresh), so it also keys the counters the workers share.
 */
export function siteLimitsKey({ id, rateLimit }: Pick<SnapshotSite, "id" | "rateLimit">): string {
  // Spelled out field by field: the primary and the workers must agree whatever the key order.
  if (rateLimit === null) return `${id} none`;
  return `${id} ${rateLimit.requestsPerSecond}/s burst ${rateLimit.burst} in-progress ${rateLimit.maxConnectionsPerIp ?? "any"}`;
}
