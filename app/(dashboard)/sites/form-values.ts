import type { Certificate } from "../../../lib/schemas/certificate";
import type { Site } from "../../../lib/schemas/site";
import { isIssued } from "../../_lib/certificate-view";

export function formValuesOf(site: Site): SiteFormValues {
  return {
    name: site.name,
    hostnames: site.hostnames.join("\n"),
    upstreams: site.upstreams.map((upstream) => upstream.url).join("\n"),
    certificateId: site.certificateId ?? "",
    enabled: site.enabled,
    forceHttps: site.forceHttps,
    hsts: site.hsts,
    websockets: site.websockets,
    preserveHost: site.preserveHost,
    verifyUpstreamTls: site.verifyUpstreamTls,
  };
}

/**
 * Picks the fields the form needs, so nothing else about a certificate reaches the browser.
 * Let's Encrypt orders still in progress are left out: a site switches to them by itself once issued.
 */
export function certificateChoices(certificates: Certificate[]): CertificateChoice[] {
  return certificates.filter(isIssued).map(({ id, name, domains, daysLeft, source }) => ({ id, name, domains, daysLeft, source }));
}

/** Only what the form shows of a certificate (never key material). */
export interface CertificateChoice {
  id: string;
  name: string;
  domains: string[];
  daysLeft: number;
  source: string;
}

export interface SiteFormValues {
  name: string;
  hostnames: string;
  upstreams: string;
  certificateId: string;
  enabled: boolean;
  forceHttps: boolean;
  hsts: boolean;
  websockets: boolean;
  preserveHost: boolean;
  verifyUpstreamTls: boolean;
}

export const NEW_SITE: SiteFormValues = {
  name: "",
  hostnames: "",
  upstreams: "",
  certificateId: "",
  enabled: true,
  forceHttps: false,
  hsts: false,
  websockets: true,
  preserveHost: true,
  verifyUpstreamTls: true,
};

