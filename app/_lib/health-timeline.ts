import type { UpstreamState } from "@/lib/schemas/upstream-health";

export interface TimelineChange {
  state: UpstreamState;
  at: string;
}

export interface TimelineSegment {
  state: UpstreamState;
  from: string;
  to: string;
  /** Where it starts and how long it is, as shares (0..1) of the window. */
  start: number;
  width: number;
}

/**
 * The window [windowStart, now] cut into stretches of one state, oldest first: the state the
 * window began with, then each change. Neighbours in the same state are merged; changes outside
 * the window are clamped into it.
 */
export function timelineSegments(changes: readonly TimelineChange[], startState: UpstreamState, windowStart: Date, now: Date): TimelineSegment[] {
  const from = windowStart.getTime();
  const to = now.getTime();
  const length = to - from;
  if (length <= 0) return [];
  const points: { state: UpstreamState; at: number }[] = [{ state: startState, at: from }];
  for (const change of [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const at = Math.min(to, Math.max(from, Date.parse(change.at)));
    const last = points[points.length - 1]!;
    if (at === last.at) last.state = change.state;
    else if (change.state !== last.state) points.push({ state: change.state, at });
  }
  // A change at the very start may leave two neighbours in one state.
  const merged = points.filter((point, index) => index === 0 || point.state !== points[index - 1]!.state);
  return merged.map((point, index) => {
    const end = merged[index + 1]?.at ?? to;
    return {
      state: point.state,
      from: new Date(point.at).toISOString(),
      to: new Date(end).toISOString(),
      start: (point.at - from) / length,
      width: (end - point.at) / length,
    };
  });
}

/** "100%", "99.8%", "0%"; never rounds a little downtime up to 100%. */
export function formatUptime(uptime: number | null): string {
  if (uptime === null) return "No data";
  if (uptime >= 1) return "100%";
  const tenths = Math.floor(uptime * 1000 + 1e-9) / 10;
  return `${tenths.toFixed(1).replace(/\.0$/, "")}%`;
}

/** Uptime over the part of a window the server's state was known, and how long that part was. */
export interface Uptime {
  /** Share of the observed time the server was up, or null when nothing was observed. */
  uptime: number | null;
  observedMs: number;
  downMs: number;
}

/** Uptime from a window's segments: time not checked (unknown) counts neither way. */
export function uptimeOf(segments: readonly TimelineSegment[]): Uptime {
  let upMs = 0;
  let downMs = 0;
  for (const segment of segments) {
    const length = Date.parse(segment.to) - Date.parse(segment.from);
    if (segment.state === "up") upMs += length;
    if (segment.state === "down") downMs += length;
  }
  const observedMs = upMs + downMs;
  return { uptime: observedMs > 0 ? upMs / observedMs : null, observedMs, downMs };
}

/** The window is "observed in full" when less than this of it was not checked (checks run every few seconds). */
const FULL_WINDOW_SLACK_MS = 60_000;

/** What the uptime is computed over: "the last 24 h", or "the 16 min observed" while history is shorter. */
export function uptimeBasis(observedMs: number, windowMs: number): string {
  if (observedMs <= 0 || observedMs >= windowMs - FULL_WINDOW_SLACK_MS) return "the last 24 h";
  return `the ${formatDuration(observedMs)} observed`;
}

/** Red needs this much downtime as well as a low share: one minute down in 16 minutes is not an outage. */
const RED_MIN_DOWN_MS = 15 * 60_000;

/** How the colours are chosen, for the figure's tooltip. */
export const UPTIME_TONE_RULE = "Green from 99.9% up; red below 95% with at least 15 min down; amber for any other downtime.";

/** Green from 99.9%; red only for a real outage (below 95% and at least 15 min down); amber for any other downtime. */
export function uptimeTone({ uptime, downMs }: Pick<Uptime, "uptime" | "downMs">): "green" | "amber" | "red" | "slate" {
  if (uptime === null) return "slate";
  if (uptime >= 0.999) return "green";
  if (uptime < 0.95 && downMs >= RED_MIN_DOWN_MS) return "red";
  return "amber";
}

/** "12 ms", "1.2 s". */
export function formatLatency(latencyMs: number | null): string {
  if (latencyMs === null) return "—";
  if (latencyMs < 1000) return `${Math.round(latencyMs)} ms`;
  return `${(latencyMs / 1000).toFixed(latencyMs < 10_000 ? 1 : 0)} s`;
}

/** "45 s", "12 min", "3 h 20 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
