import type { Site } from "@/lib/schemas/site";
import type { UpstreamState } from "@/lib/schemas/upstream-health";
import { healthHistory, HISTORY_DAYS, type HealthChange } from "@/lib/services/upstream-health";
import { timelineSegments, type TimelineSegment } from "./health-timeline";

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface UpstreamHistoryView {
  /** Share of the last 24 h the server was up (unknown time not counted), or null without data. */
  uptime: number | null;
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
      // Pruning drops a change older than HISTORY_DAYS even when it is the last one, so a server
      // that has not changed state for a week has no history left: its current state held all day.
      const steady = history.uptime === null && history.changes.length === 0 && current !== "unknown";
      const uptime = steady ? (current === "up" ? 1 : 0) : history.uptime;
      return [id, { uptime, changes: history.changes, segments }];
    }),
  );
  return new Map(views);
}
