import { isSkipped, type SelectableUpstream, type SelectionContext, type SelectionPolicy } from "./selection-policy";

/** FNV-1a with murmur3's finalizer: FNV alone barely mixes inputs that differ in the last digit (IPs). */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Weighted rendezvous score: the highest wins, and upstreams win in proportion to their weights. */
function score(client: string, upstream: SelectableUpstream): number {
  const unit = (hash32(`${client}\n${upstream.address}`) + 0.5) / 0x1_0000_0000; // in (0, 1)
  return Math.max(1, upstream.weight) / -Math.log(unit);
}

/**
 * Sticky by client IP, through rendezvous (highest-random-weight) hashing of the client address
 * with each upstream's address. Unlike "hash modulo count", when an upstream is unhealthy (or
 * removed) only its own clients move, each to its next-best upstream, and they come back when it
 * recovers; nobody else moves. The hash has no random seed, so every worker, and every restart,
 * sends a client to the same upstream.
 */
export class IpHash implements SelectionPolicy {
  pick<U extends SelectableUpstream>(upstreams: readonly U[], ctx: SelectionContext): U | null {
    const client = ctx.clientAddress ?? "";
    let best: U | null = null;
    let bestScore = -Infinity;
    for (const upstream of upstreams) {
      if (isSkipped(upstream, ctx)) continue;
      const value = score(client, upstream);
      if (value > bestScore) {
        best = upstream;
        bestScore = value;
      }
    }
    return best;
  }
}
