import { isSkipped, type SelectableUpstream, type SelectionContext, type SelectionPolicy } from "./selection-policy";

/**
 * Smooth weighted round-robin (nginx's algorithm): weights 5,1,1 give a a b a c a a, spreading
 * the heavy upstream out instead of sending it five requests in a row.
 */
export class WeightedRoundRobin implements SelectionPolicy {
  private readonly current = new Map<string, number>();

  pick<U extends SelectableUpstream>(upstreams: readonly U[], ctx: SelectionContext): U | null {
    // A changed upstream list starts a fresh cycle: leftover credit from removed upstreams would
    // otherwise skew the shares (the algorithm relies on the credits summing to zero).
    if (this.current.size !== upstreams.length || upstreams.some((u) => !this.current.has(u.id))) {
      this.current.clear();
      for (const upstream of upstreams) this.current.set(upstream.id, 0);
    }

    let total = 0;
    let best: U | null = null;
    let bestCredit = -Infinity;
    for (const upstream of upstreams) {
      // As in nginx, a skipped upstream neither earns nor spends credit: the others share its
      // turns by their own weights, and it rejoins where it left off.
      if (isSkipped(upstream, ctx)) continue;
      const weight = Math.max(1, upstream.weight);
      const credit = (this.current.get(upstream.id) ?? 0) + weight;
      this.current.set(upstream.id, credit);
      total += weight;
      if (credit > bestCredit) {
        best = upstream;
        bestCredit = credit;
      }
    }
    if (best !== null) this.current.set(best.id, bestCredit - total);
    return best;
  }
}
