import type { Site } from "@/lib/schemas/site";
import type { UpstreamState } from "@/lib/schemas/upstream-health";
import { healthHistory, HISTORY_DAYS, type HealthChange } from "@/lib/services/upstream-health";
import { type TimelineSegment, timelineSegments, type Uptime, uptimeOf } from "./health-timeline";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Uptime over the observed part of the last 24 h (time not checked is not counted; observedMs says how long). */
export interface UpstreamHistoryView extends Uptime {
  /** State changes in the last 24 h, oldest first. */
  changes: HealthChange[];
  segments: TimelineSegment[];
}

/**
 * The last 24 h of each upstream of a site (by upstream id): uptime, changes, and the bar's segments.
 * The bar needs the state the window began in; healthHistory only lists changes inside it, so
 * that state is the last change before the window (history is kept HISTORY_DAYS), or, when
 * nothing changed all day, the current state.
 */
export async function upstreamHistories(site: Pick<Site, "upstreams">, now = new Date()): Promise<Map<string, UpstreamHistoryView>> {
  const windowStart = new Date(now.getTime() - DAY_MS);
  const views = await Promise.all(
    site.upstreams.map(async ({ id, health }): Promise<[string, UpstreamHistoryView]> => {
      const current = health.state;
      const history = await healthHistory(id, now, DAY_MS);
      let startState: UpstreamState = current;
      if (history.changes.length > 0) {
        const earlier = await healthHistory(id, windowStart, (HISTORY_DAYS - 1) * DAY_MS);
        startState = earlier.changes.at(-1)?.state ?? "unknown";
      }
      const segments = timelineSegments(history.changes, startState, windowStart, now);
      // Counted from the bar's segments, so the figure and the bar agree; a server with no change all
      // day (its history may be pruned) held its current state all day.
      return [id, { ...uptimeOf(segments), changes: history.changes, segments }];
    }),
  );
  return new Map(views);
}
