import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import { Failover } from "./failover";
import { IpHash } from "./ip-hash";
import { LeastConnections } from "./least-connections";
import { RoundRobin } from "./round-robin";
import { WeightedRoundRobin } from "./weighted-round-robin";

/** What a policy needs to know about an upstream; runtime upstreams carry more. */
export interface SelectableUpstream {
  /** The upstream's stable id (kept across saves while its URL stays): the key of its live state. */
  readonly id: string;
  /** The upstream URL exactly as configured. */
  readonly address: string;
  readonly weight: number;
}

/** Facts about the request and the upstreams' live state, for the policies that need them. */
export interface SelectionContext {
  readonly clientAddress?: string;
  readonly hostname?: string;
  /**
   * Upstream ids that must not be picked: marked down by active checks, benched by passive ones,
   * or the upstream a failed attempt just went to.
   */
  readonly skip?: ReadonlySet<string>;
  /** Requests this worker has in flight to an upstream, by id (least connections). */
  readonly inFlight?: (id: string) => number;
}

/**
 * One small object per policy (as in Caddy's reverseproxy), so that adding a policy means adding
 * a file, not editing the request path. A policy may keep state between picks; a new config
 * generation gets a fresh one only when the site's policy or upstreams change.
 */
export interface SelectionPolicy {
  /** Null when every upstream is skipped: the caller answers "no healthy upstream". */
  pick<U extends SelectableUpstream>(upstreams: readonly U[], ctx: SelectionContext): U | null;
}

const factories: Record<LoadBalancingPolicy, () => SelectionPolicy> = {
  round_robin: () => new RoundRobin(),
  weighted: () => new WeightedRoundRobin(),
  least_conn: () => new LeastConnections(),
  ip_hash: () => new IpHash(),
  failover: () => new Failover(),
};

export function createSelectionPolicy(name: LoadBalancingPolicy = "round_robin"): SelectionPolicy {
  return factories[name]();
}

export function isSkipped(upstream: SelectableUpstream, ctx: SelectionContext): boolean {
  return ctx.skip?.has(upstream.id) ?? false;
}
