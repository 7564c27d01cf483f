import type { SelectableUpstream, SelectionContext, SelectionPolicy } from "./selection-policy";

/**
 * Smooth weighted round-robin (nginx's algorithm): weights 5,1,1 give a a b a c a a, spreading
 * the heavy upstream out instead of sending it five requests in a row.
 */
export class RoundRobin implements SelectionPolicy {
  private readonly current = new Map<string, number>();

  pick<U extends SelectableUpstream>(upstreams: readonly U[], _ctx: SelectionContext): U {
    const only = upstreams.length === 1 ? upstreams[0] : undefined;
    if (only !== undefined) return only;

    // A changed upstream list starts a fresh cycle: leftover credit from removed upstreams would
    // otherwise skew the shares (the algorithm relies on the credits summing to zero).
    if (this.current.size !== upstreams.length || upstreams.some((u) => !this.current.has(u.id))) {
      this.current.clear();
      for (const upstream of upstreams) this.current.set(upstream.id, 0);
    }

    let total = 0;
    let best: U | undefined;
    let bestWeight = -Infinity;
    for (const upstream of upstreams) {
      const weight = Math.max(1, upstream.weight);
      const value = (this.current.get(upstream.id) ?? 0) + weight;
      this.current.set(upstream.id, value);
      total += weight;
      if (value > bestWeight) {
        best = upstream;
        bestWeight = value;
      }
    }
    if (best === undefined) throw new Error("round-robin: a site has no upstreams to pick from");
    this.current.set(best.id, bestWeight - total);
    return best;
  }
}
