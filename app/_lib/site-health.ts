import type { Site } from "@/lib/schemas/site";
import type { UpstreamState } from "@/lib/schemas/upstream-health";
import type { Tone } from "../_components/ui/badge";

/** How a site's upstream servers are doing, as one dot. */
export type SiteHealth = "up" | "degraded" | "down" | "unknown";

export interface SiteHealthView {
  health: SiteHealth;
  tone: Tone;
  /** A few words next to the dot: "All up", "1 of 3 down". */
  label: string;
  /** One sentence for a tooltip or the site page. */
  explanation: string;
  up: number;
  down: number;
  total: number;
}

/** Only whether checks run is read, so a stream (whose checks are TCP connects) is viewed the same way. */
type Checked = Pick<Site, "enabled"> & { healthCheck: Pick<Site["healthCheck"], "enabled"> };
type HealthSite = Checked & Pick<Site, "upstreams">;

/** Why nothing is known about a site's servers, or null when checks run for it. */
export function notCheckedReason(site: Checked): "disabled" | "checks-off" | null {
  if (!site.enabled) return "disabled";
  if (!site.healthCheck.enabled) return "checks-off";
  return null;
}

/**
 * The state the dashboard shows for one upstream of a site. A site that is off, or whose checks
 * are off, is not checked (by this site), so its servers show as unknown whatever an old row says.
 */
export function shownUpstreamState(site: Checked, state: UpstreamState): UpstreamState {
  return notCheckedReason(site) === null ? state : "unknown";
}

export const HEALTH_TONE: Record<SiteHealth, Tone> = { up: "green", degraded: "amber", down: "red", unknown: "slate" };
export const UPSTREAM_TONE: Record<UpstreamState, Tone> = { up: "green", down: "red", unknown: "slate" };
export const UPSTREAM_WORD: Record<UpstreamState, string> = { up: "Up", down: "Down", unknown: "Not checked" };

/**
 * All up (green), some down (amber), all down (red), or unknown (grey: not checked yet, checks
 * off, or the site is off). A mix of up and not-yet-checked servers stays grey until every one
 * has an answer, so green always means every server was seen answering.
 */
export function siteHealth(site: HealthSite): SiteHealthView {
  const total = site.upstreams.length;
  const reason = notCheckedReason(site);
  const states = site.upstreams.map((upstream) => shownUpstreamState(site, upstream.health.state));
  const up = states.filter((state) => state === "up").length;
  const down = states.filter((state) => state === "down").length;
  const counts = { up, down, total };
  const view = (health: SiteHealth, label: string, explanation: string): SiteHealthView => ({
    health,
    tone: HEALTH_TONE[health],
    label,
    explanation,
    ...counts,
  });

  if (reason === "disabled") return view("unknown", "Not checked", "The site is off, so its servers are not checked.");
  if (reason === "checks-off") return view("unknown", "Checks off", "Health checks are off for this site, so nobody watches its servers.");
  if (total > 0 && down === total) {
    return view(
      "down",
      total === 1 ? "Down" : "All down",
      total === 1
        ? "The upstream server does not answer its health check: visitors get an error page."
        : "No upstream server answers its health check: visitors get an error page.",
    );
  }
  if (down > 0) {
    return view(
      "degraded",
      `${down} of ${total} down`,
      `${down === 1 ? "One server does" : `${down} servers do`} not answer the health check: visitors are sent to the others.`,
    );
  }
  if (total > 0 && up === total) {
    return view(
      "up",
      total === 1 ? "Up" : "All up",
      total === 1 ? "The upstream server answers its health check." : `All ${total} upstream servers answer their health check.`,
    );
  }
  return view("unknown", "Not checked yet", "The proxy has not checked every server yet: it does so within a few seconds of a change.");
}
