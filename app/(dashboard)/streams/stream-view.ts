import type { Stream } from "@/lib/schemas/stream";
import type { UpstreamState } from "@/lib/schemas/upstream-health";
import { HEALTH_TONE, shownUpstreamState, siteHealth, type SiteHealthView } from "@/app/_lib/site-health";
import type { SiteState, SiteView } from "@/app/_lib/site-view";

type ViewedStream = Pick<Stream, "enabled" | "status">;
type CheckedStream = Pick<Stream, "enabled" | "healthCheck" | "upstreams" | "protocol">;

/** One word and one colour for where a stream stands, as for a site: the proxy's apply error wins. */
export function streamView(stream: ViewedStream): SiteView & { state: SiteState } {
  if (stream.status.error) return { state: "error", tone: "red", label: "Error", explanation: "The proxy could not apply this stream." };
  if (!stream.status.applied) {
    return { state: "pending", tone: "amber", label: "Pending", explanation: "Saved. Waiting for the proxy to apply the latest change." };
  }
  if (!stream.enabled)
    return { state: "disabled", tone: "slate", label: "Disabled", explanation: "Turned off: the proxy does not listen on its port." };
  return { state: "live", tone: "green", label: "Live", explanation: "Applied: the proxy listens on its port." };
}

/** A UDP-only stream has no handshake to check: nobody checks its servers actively. */
const notConnectChecked = (stream: Pick<Stream, "protocol">) => stream.protocol === "udp";

/** The state shown for one of a stream's upstreams. */
export function shownStreamUpstreamState(stream: CheckedStream, state: UpstreamState): UpstreamState {
  return notConnectChecked(stream) ? "unknown" : shownUpstreamState(stream, state);
}

/** How a stream's servers are doing, as one dot: the site's rules, in a stream's words. */
export function streamHealth(stream: CheckedStream): SiteHealthView {
  const view = siteHealth(stream);
  const words = (label: string, explanation: string): SiteHealthView => ({
    ...view,
    health: "unknown",
    tone: HEALTH_TONE.unknown,
    label,
    explanation,
  });
  if (!stream.enabled) return words("Not checked", "The stream is off, so its servers are not checked.");
  if (notConnectChecked(stream))
    return words("Not checked (UDP)", "UDP has no handshake to check: a UDP-only stream's servers are not actively checked.");
  if (!stream.healthCheck.enabled) return words("Checks off", "Health checks are off for this stream, so nobody watches its servers.");
  if (view.health === "down") {
    return { ...view, explanation: "No upstream server accepts a connection: new connections to the stream are refused." };
  }
  if (view.health === "degraded") {
    return {
      ...view,
      explanation: `${view.down === 1 ? "One server does" : `${view.down} servers do`} not accept connections: new ones go to the others.`,
    };
  }
  return view;
}
