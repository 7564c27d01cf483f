import { sameNames, uncoveredHostnames } from "@/lib/certs/covers";
import type { Certificate } from "@/lib/schemas/certificate";
import type { Site } from "@/lib/schemas/site";
import { isIssued, isOrderLive } from "./certificate-view";

const JUST_INSTALLED_MS = 15 * 60_000;

/** What the HTTPS card on a site page shows: one state, worked out on the server. */
export type HttpsCard =
  /** The site uses an issued Let's Encrypt certificate for all its names (perhaps renewing now). */
  | { kind: "acme"; certificate: Certificate; justInstalled: boolean; recentRun: boolean }
  /** A first order for this site's names is queued or running. */
  | { kind: "ordering"; certificate: Certificate }
  /** A wildcard name: only DNS-01 can prove it, so the offer is a wildcard order through a DNS provider. */
  | { kind: "wildcard"; wildcards: string[]; current: Certificate | undefined; failedOrder: Certificate | undefined }
  /** An order for these names was issued, but the site does not use it (the switch was off). */
  | { kind: "issued-unused"; certificate: Certificate; current: Certificate | undefined }
  /** Offer the button; failedOrder is the last order that never got a certificate, shown above it. */
  | { kind: "offer"; current: Certificate | undefined; failedOrder: Certificate | undefined };

/** When the order was placed or issued, for picking the newest of several (never-issued dates are placeholders = creation time). */
const recency = (certificate: Certificate) => Date.parse(isIssued(certificate) ? certificate.notBefore : certificate.notAfter);

export function httpsCard(site: Site, certificates: Certificate[], now = Date.now()): HttpsCard {
  const current = site.certificateId ? certificates.find((certificate) => certificate.id === site.certificateId) : undefined;
  if (current && current.source === "acme" && isIssued(current) && uncoveredHostnames(current.domains, site.hostnames).length === 0) {
    return { kind: "acme", certificate: current, justInstalled: justInstalled(current, now), recentRun: recentRun(current, now) };
  }

  const forTheseNames = certificates
    .filter((certificate) => certificate.source === "acme" && certificate.id !== current?.id && sameNames(certificate.domains, site.hostnames))
    .sort((a, b) => recency(b) - recency(a));
  const ordering = forTheseNames.find((certificate) => !isIssued(certificate) && isOrderLive(certificate));
  if (ordering) return { kind: "ordering", certificate: ordering };

  const issued = forTheseNames.find((certificate) => isIssued(certificate) && certificate.daysLeft >= 0);
  if (issued) return { kind: "issued-unused", certificate: issued, current };

  const failedOrder = forTheseNames.find((certificate) => !isIssued(certificate) && certificate.status === "failed");
  const wildcards = site.hostnames.filter((hostname) => hostname.startsWith("*."));
  if (wildcards.length > 0) return { kind: "wildcard", wildcards, current, failedOrder };
  return { kind: "offer", current, failedOrder };
}

/** The last order or renewal ended a short while ago: its steps are still worth showing. */
function recentRun(certificate: Certificate, now: number): boolean {
  const last = certificate.progress.at(-1);
  return last !== undefined && now - Date.parse(last.at) < JUST_INSTALLED_MS;
}

/** The last order finished every step a short while ago: worth a "Certificate installed" message. */
function justInstalled(certificate: Certificate, now: number): boolean {
  if (!recentRun(certificate, now) || isOrderLive(certificate) || certificate.lastError) return false;
  return certificate.progress.every((step) => step.state === "done");
}
