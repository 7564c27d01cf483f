import { isSkipped, type SelectableUpstream, type SelectionContext, type SelectionPolicy } from "./selection-policy";

/**
 * The upstream with the fewest requests in flight through this worker. Ties go round in turn:
 * always taking the first of equals would send every request to the first upstream whenever
 * traffic is light enough that nothing overlaps.
 */
export class LeastConnections implements SelectionPolicy {
  private offset = 0;

  pick<U extends SelectableUpstream>(upstreams: readonly U[], ctx: SelectionContext): U | null {
    const count = upstreams.length;
    const start = count === 0 ? 0 : this.offset % count;
    this.offset = count === 0 ? 0 : (start + 1) % count;

    let best: U | null = null;
    let fewest = Infinity;
    for (let i = 0; i < count; i++) {
      const upstream = upstreams[(start + i) % count];
      if (upstream === undefined || isSkipped(upstream, ctx)) continue;
      const inFlight = ctx.inFlight?.(upstream.id) ?? 0;
      if (inFlight < fewest) {
        best = upstream;
        fewest = inFlight;
      }
    }
    return best;
  }
}
