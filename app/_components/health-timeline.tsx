import type { UpstreamState } from "@/lib/schemas/upstream-health";
import type { HealthChange } from "@/lib/services/upstream-health";
import { formatClock } from "../_lib/certificate-view";
import { cn } from "../_lib/cn";
import { formatDuration, type TimelineSegment } from "../_lib/health-timeline";
import { UPSTREAM_TONE, UPSTREAM_WORD } from "../_lib/site-health";
import { formatDate, timeAgo } from "../_lib/time";
import { StatusDot } from "./status-dot";

const FILL: Record<UpstreamState, string> = { up: "bg-emerald-500", down: "bg-red-500", unknown: "bg-slate-200" };
const TEXT: Record<UpstreamState, string> = { up: "text-emerald-700", down: "text-red-700", unknown: "text-slate-500" };

/** How many changes the list shows; the bar shows them all. */
const RECENT = 5;

/**
 * 24 hours of one upstream at a glance: a bar of coloured stretches (green up, red down, grey
 * not checked), oldest on the left, and the latest state changes in words underneath.
 */
export function HealthTimeline({ segments, changes, now }: { segments: TimelineSegment[]; changes: HealthChange[]; now: Date }) {
  const recent = changes.slice(-RECENT).reverse();
  const earlier = changes.length - recent.length;
  return (
    <div data-testid="health-timeline" data-changes={changes.length} className="mt-3">
      <div role="img" aria-label={barSummary(segments)} className="relative h-3 w-full overflow-hidden rounded-sm bg-slate-100">
        {segments.map((segment) => (
          <span
            key={segment.from}
            data-state={segment.state}
            title={`${UPSTREAM_WORD[segment.state]} ${formatClock(segment.from)} – ${formatClock(segment.to)} (${formatDuration(Date.parse(segment.to) - Date.parse(segment.from))})`}
            className={cn("absolute inset-y-0", FILL[segment.state], segment.state === "down" && "z-[1] min-w-[3px]")}
            style={{ left: `${(segment.start * 100).toFixed(3)}%`, width: `${(segment.width * 100).toFixed(3)}%` }}
          />
        ))}
      </div>
      <div aria-hidden="true" className="mt-1 flex justify-between text-[11px] text-slate-500">
        <span>24 h ago</span>
        <span>12 h ago</span>
        <span>now</span>
      </div>
      {recent.length === 0 ? (
        <p className="mt-1.5 text-xs text-slate-500">No changes in the last 24 hours.</p>
      ) : (
        <ol aria-label="Recent changes" className="mt-1.5 space-y-1">
          {recent.map((change) => (
            <li
              key={`${change.at}-${change.state}`}
              data-testid="health-change"
              data-state={change.state}
              className="flex flex-wrap items-center gap-x-2 text-xs"
            >
              <StatusDot tone={UPSTREAM_TONE[change.state]} className="size-2" />
              <span className={cn("font-medium", TEXT[change.state])}>{changeWord(change.state)}</span>
              <time dateTime={change.at} className="text-slate-500" title={formatDate(change.at)}>
                {formatClock(change.at)} · {timeAgo(change.at, now.getTime())}
              </time>
              {change.message ? <span className="min-w-0 break-words text-slate-600">— {change.message}</span> : null}
            </li>
          ))}
          {earlier > 0 ? (
            <li className="text-xs text-slate-500">
              and {earlier} earlier {earlier === 1 ? "change" : "changes"} today (on the bar)
            </li>
          ) : null}
        </ol>
      )}
    </div>
  );
}

function changeWord(state: UpstreamState): string {
  if (state === "up") return "Came up";
  if (state === "down") return "Went down";
  return "Unknown";
}

/** What the bar shows, for screen readers: "Last 24 hours: up 23 h 50 min, down 10 min." */
function barSummary(segments: TimelineSegment[]): string {
  const totals = new Map<UpstreamState, number>();
  for (const segment of segments) {
    totals.set(segment.state, (totals.get(segment.state) ?? 0) + Date.parse(segment.to) - Date.parse(segment.from));
  }
  const parts = (["up", "down", "unknown"] as const)
    .filter((state) => (totals.get(state) ?? 0) > 0)
    .map((state) => `${state === "unknown" ? "not checked" : state} ${formatDuration(totals.get(state)!)}`);
  return `Last 24 hours: ${parts.join(", ") || "no data"}.`;
}
