import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import type { PoolSite } from "../upstream/upstream-pool";
import { createSelectionPolicy, type SelectableUpstream } from "../upstream/selection-policy";

/** An upstream reached byte for byte: a pass-through site's tcp://, a stream's tcp:// or udp://. */
export interface SocketUpstream extends SelectableUpstream {
  readonly host: string;
  readonly port: number;
}

/** A pass-through site's or a stream's upstreams with its load balancing: what the pool picks from. */
export interface SocketGroup extends PoolSite<SocketUpstream> {
  /** Identifies the policy and the upstream list, so that a reload changing neither keeps the policy's state. */
  readonly policyKey: string;
}

interface SnapshotSocketUpstream {
  id: string;
  url: string;
  weight: number;
}

function compileSocketUpstream(upstream: SnapshotSocketUpstream): SocketUpstream | string {
  let url: URL;
  try {
    url = new URL(upstream.url);
  } catch {
    return `The upstream address "${upstream.url}" is not a valid URL.`;
  }
  const port = Number(url.port);
  if ((url.protocol !== "tcp:" && url.protocol !== "udp:") || !Number.isInteger(port) || port < 1) {
    return `The upstream address "${upstream.url}" must be tcp://host:port or udp://host:port.`;
  }
  return { id: upstream.id, address: upstream.url, weight: upstream.weight, host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port };
}

/** A string: why the upstreams cannot be used. The policy's state carries over when neither it nor the upstreams changed. */
export function compileSocketGroup(
  upstreams: readonly SnapshotSocketUpstream[],
  loadBalancing: LoadBalancingPolicy,
  previous: SocketGroup | undefined,
): SocketGroup | string {
  if (upstreams.length === 0) return "There are no upstream servers.";
  const compiled: SocketUpstream[] = [];
  for (const upstream of upstreams) {
    const each = compileSocketUpstream(upstream);
    if (typeof each === "string") return each;
    compiled.push(each);
  }
  const policyKey = JSON.stringify([loadBalancing, upstreams.map((u) => [u.id, u.url, u.weight])]);
  const policy = previous?.policyKey === policyKey ? previous.policy : createSelectionPolicy(loadBalancing);
  // Byte streams have no status codes: only failures to connect count against an upstream.
  return { upstreams: compiled, policy, policyKey, passiveHealthCountsServerErrors: false };
}
