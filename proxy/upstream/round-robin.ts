import { isSkipped, type SelectableUpstream, type SelectionContext, type SelectionPolicy } from "./selection-policy";

/**
 * Plain rotation, ignoring weights: a, b, c, a, b, c. A skipped upstream's turn passes to the
 * next one, so the healthy ones keep equal shares (Caddy's round_robin does the same).
 */
export class RoundRobin implements SelectionPolicy {
  private next = 0;

  pick<U extends SelectableUpstream>(upstreams: readonly U[], ctx: SelectionContext): U | null {
    for (let tries = 0; tries < upstreams.length; tries++) {
      const upstream = upstreams[this.next % upstreams.length];
      // Wrapping here keeps the counter small however long the process runs.
      this.next = (this.next + 1) % upstreams.length;
      if (upstream !== undefined && !isSkipped(upstream, ctx)) return upstream;
    }
    return null;
  }
}
