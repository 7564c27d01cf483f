import { uncoveredHostnames } from "@/lib/certs/covers";
import type { Certificate } from "@/lib/schemas/certificate";
import type { Site } from "@/lib/schemas/site";
import type { Tone } from "../_components/ui/badge";
import { siteHealth, type SiteHealth } from "./site-health";

export type SiteState = "error" | "pending" | "disabled" | "live";

export interface SiteView {
  state: SiteState;
  tone: Tone;
  label: string;
  explanation: string;
}

/** One word and one colour for where a site stands; the proxy's apply error wins over everything. */
export function siteView(site: Site): SiteView {
  if (site.status.error) {
    return { state: "error", tone: "red", label: "Error", explanation: "The proxy could not apply this site." };
  }
  if (!site.status.applied) {
    return {
      state: "pending",
      tone: "amber",
      label: "Pending",
      explanation: "Saved. Waiting for the proxy to apply the latest change.",
    };
  }
  if (!site.enabled) {
    return { state: "disabled", tone: "slate", label: "Disabled", explanation: "Turned off: the proxy does not serve it." };
  }
  return { state: "live", tone: "green", label: "Live", explanation: "Applied and served by the proxy." };
}

const ORDER: Record<SiteState, number> = { error: 0, disabled: 1, pending: 2, live: 3 };
/** Upstream trouble comes right after apply errors; everything else keeps the order of ORDER. */
const HEALTH_ORDER: Partial<Record<SiteHealth, number>> = { down: 1, degraded: 2 };

/**
 * Sites with problems first: apply errors, then all servers down, then some down, then the rest
 * (disabled, pending, certificate trouble, fine), then by name.
 */
export function sortByAttention(sites: Site[], certificates: Certificate[] = []): Site[] {
  const byId = new Map(certificates.map((certificate) => [certificate.id, certificate]));
  const weight = (site: Site) => {
    const base = ORDER[siteView(site).state];
    if (base === ORDER.error) return 0;
    const health = HEALTH_ORDER[siteHealth(site).health];
    if (health !== undefined) return health;
    // A live site whose certificate is expiring or does not fit still deserves a look before healthy ones.
    const certificate = site.certificateId ? byId.get(site.certificateId) : undefined;
    const certTrouble = certificate && (certificate.daysLeft <= 30 || uncoveredHostnames(certificate.domains, site.hostnames).length > 0);
    return 3 + (base === ORDER.live && certTrouble ? ORDER.pending + 0.5 : base);
  };
  return [...sites].sort((a, b) => weight(a) - weight(b) || a.name.localeCompare(b.name));
}

export function certificateById(certificates: Certificate[]): Map<string, Certificate> {
  return new Map(certificates.map((certificate) => [certificate.id, certificate]));
}
