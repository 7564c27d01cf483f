import type { Site } from "@/lib/schemas/site";
import type { AccessListOption } from "@/lib/services/site-security-options";
import { hstsDurationLabel, presetHeaderNames, TLS_POLICY_TEXT } from "../security-labels";

export interface ProtectionItem {
  label: string;
  /** On: the protection is working for this site (a green dot); off: grey. */
  on: boolean;
  value: string;
}

type Protected = Pick<
  Site,
  "accessListId" | "rateLimit" | "blockExploits" | "securityHeaders" | "customHeaders" | "tlsPolicy" | "hsts" | "certificateId"
>;

/** A site's protections in a few words each, for the summary card on its page. */
export function protectionSummary(site: Protected, accessLists: AccessListOption[]): ProtectionItem[] {
  return [accessListItem(site, accessLists), rateLimitItem(site), exploitItem(site), headersItem(site), tlsItem(site)];
}

function accessListItem(site: Protected, accessLists: AccessListOption[]): ProtectionItem {
  if (site.accessListId === null) return { label: "Access list", on: false, value: "None (anyone can visit)" };
  const list = accessLists.find((option) => option.id === site.accessListId);
  return { label: "Access list", on: true, value: list?.name ?? "Unknown access list" };
}

function rateLimitItem({ rateLimit }: Protected): ProtectionItem {
  if (rateLimit === null) return { label: "Rate limit", on: false, value: "Off" };
  const parts = [`${rateLimit.requestsPerSecond.toLocaleString("en")} requests/s per address`, `bursts of ${rateLimit.burst.toLocaleString("en")}`];
  if (rateLimit.maxConnectionsPerIp !== undefined) {
    parts.push(`at most ${rateLimit.maxConnectionsPerIp} ${rateLimit.maxConnectionsPerIp === 1 ? "connection" : "connections"}`);
  }
  return { label: "Rate limit", on: true, value: parts.join(", ") };
}

function exploitItem({ blockExploits }: Protected): ProtectionItem {
  return { label: "Exploit blocking", on: blockExploits, value: blockExploits ? "On" : "Off" };
}

function headersItem(site: Protected): ProtectionItem {
  const names = presetHeaderNames(site.securityHeaders);
  // HSTS only reaches browsers over HTTPS, so it counts only with a certificate.
  if (site.hsts && site.certificateId !== null) {
    const hsts = site.securityHeaders?.hsts;
    names.unshift(`HSTS (${hstsDurationLabel(hsts?.maxAge ?? 31_536_000)}${hsts?.includeSubDomains ? ", subdomains" : ""})`);
  }
  const { requestSet, requestRemove, responseSet, responseRemove } = site.customHeaders;
  const custom = requestSet.length + requestRemove.length + responseSet.length + responseRemove.length;
  const parts = [names.length > 0 ? names.join(", ") : "No security headers"];
  if (custom > 0) parts.push(`${custom} custom ${custom === 1 ? "header" : "headers"}`);
  return { label: "Headers", on: names.length > 0, value: parts.join(" · ") };
}

function tlsItem({ tlsPolicy, certificateId }: Protected): ProtectionItem {
  const value = TLS_POLICY_TEXT[tlsPolicy].short;
  return { label: "TLS", on: certificateId !== null, value: certificateId === null ? `${value}, once the site has a certificate` : value };
}
