import type { UpstreamState } from "@/lib/schemas/upstream-health";
import { cn } from "../_lib/cn";
import { UPSTREAM_TONE, UPSTREAM_WORD, type SiteHealthView } from "../_lib/site-health";
import { StatusDot } from "./status-dot";
import { Badge } from "./ui/badge";

const HEALTH_TEXT = {
  green: "text-emerald-700",
  amber: "text-amber-700",
  red: "text-red-700",
  slate: "text-slate-500",
  blue: "text-indigo-700",
} as const;

/**
 * The site's health as one coloured dot (green all up, amber some down, red all down, grey
 * unknown). Its words are written next to it by the caller (SiteHealthLabel), so the dot itself
 * is hidden from screen readers; the tooltip repeats the explanation for mouse users.
 */
export function SiteHealthDot({ view, className }: { view: SiteHealthView; className?: string }) {
  return (
    <span
      data-testid="site-health"
      data-health={view.health}
      title={`${view.label}: ${view.explanation}`}
      className={cn("inline-flex shrink-0", className)}
    >
      <StatusDot tone={view.tone} pulse={view.health === "down"} />
    </span>
  );
}

/** "All up", "1 of 3 down", in the dot's colour. */
export function SiteHealthLabel({ view, className }: { view: SiteHealthView; className?: string }) {
  return (
    <span data-testid="site-health-label" className={cn("text-xs font-medium", HEALTH_TEXT[view.tone], className)} title={view.explanation}>
      <span className="sr-only">Servers: </span>
      {view.label}
    </span>
  );
}

/** One upstream's state as a coloured badge: Up, Down, Not checked. */
export function UpstreamStateBadge({ state, className }: { state: UpstreamState; className?: string }) {
  const tone = UPSTREAM_TONE[state];
  return (
    <Badge tone={tone} className={className}>
      <StatusDot tone={tone} pulse={state === "down"} className="size-2" />
      {UPSTREAM_WORD[state]}
    </Badge>
  );
}

/** A small dot for an upstream in a list, with its state for screen readers. */
export function UpstreamDot({ state }: { state: UpstreamState }) {
  return (
    <>
      <StatusDot tone={UPSTREAM_TONE[state]} className="size-2" />
      <span className="sr-only">({UPSTREAM_WORD[state].toLowerCase()})</span>
    </>
  );
}
