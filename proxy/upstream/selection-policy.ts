import { RoundRobin } from "./round-robin";

/** What a policy needs to know about an upstream; runtime upstreams carry more. */
export interface SelectableUpstream {
  readonly id: string;
  readonly weight: number;
}

/** Facts about the request that some policies (client-IP hash, header hash) will use. */
export interface SelectionContext {
  readonly clientAddress?: string;
  readonly hostname?: string;
}

/**
 * One small object per policy (as in Caddy's reverseproxy), so that adding least-connections
 * or IP-hash later means adding a file, not editing the request path. A policy may keep state
 * between picks; a new config generation gets a fresh one only when its upstreams change.
 */
export interface SelectionPolicy {
  pick<U extends SelectableUpstream>(upstreams: readonly U[], ctx: SelectionContext): U;
}

export const selectionPolicyNames = ["round-robin"] as const;
export type SelectionPolicyName = (typeof selectionPolicyNames)[number];

const factories: Record<SelectionPolicyName, () => SelectionPolicy> = {
  "round-robin": () => new RoundRobin(),
};

export function createSelectionPolicy(name: SelectionPolicyName = "round-robin"): SelectionPolicy {
  return factories[name]();
}
