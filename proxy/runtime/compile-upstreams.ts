import { isIP } from "node:net";
import type { SnapshotSite } from "@/lib/schemas/snapshot";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import { createSelectionPolicy } from "../upstream/selection-policy";
import type { RuntimeUpstream, UpstreamGroup } from "./runtime-types";

type SnapshotUpstream = SnapshotSite["upstreams"][number];

function compileUpstream(upstream: SnapshotUpstream): RuntimeUpstream | string {
  let url: URL;
  try {
    url = new URL(upstream.url);
  } catch {
    return `The upstream address "${upstream.url}" is not a valid URL.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `The upstream address "${upstream.url}" must start with http:// or https://.`;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return {
    id: upstream.id,
    address: upstream.url,
    url,
    weight: upstream.weight,
    tlsServername: isIP(host) === 0 ? host : "",
  };
}

/**
 * A site's or a route's upstreams with the site's load balancing. The policy (and the state it
 * keeps, such as round-robin's place) is taken over from `previous` when neither the policy nor
 * the upstreams changed. A string: why the upstreams cannot be used.
 */
export function compileUpstreamGroup(
  upstreams: readonly SnapshotUpstream[],
  loadBalancing: LoadBalancingPolicy,
  passiveHealthCountsServerErrors: boolean,
  previous: UpstreamGroup | undefined,
): UpstreamGroup | string {
  const compiled: RuntimeUpstream[] = [];
  for (const upstream of upstreams) {
    const each = compileUpstream(upstream);
    if (typeof each === "string") return each;
    compiled.push(each);
  }
  const policyKey = JSON.stringify([loadBalancing, upstreams.map((u) => [u.id, u.url, u.weight])]);
  const policy = previous !== undefined && previous.policyKey === policyKey ? previous.policy : createSelectionPolicy(loadBalancing);
  return { upstreams: compiled, policy, policyKey, passiveHealthCountsServerErrors };
}
