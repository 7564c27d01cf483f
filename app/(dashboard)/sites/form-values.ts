import type { Certificate } from "../../../lib/schemas/certificate";
import type { Site } from "../../../lib/schemas/site";
import { defaultHealthCheck, type HealthCheck, type LoadBalancingPolicy } from "../../../lib/schemas/upstream-health";
import { isIssued } from "../../_lib/certificate-view";
import { formatUpstreamLines } from "../../_lib/upstream-lines";

export function formValuesOf(site: Site): SiteFormValues {
  return {
    name: site.name,
    hostnames: site.hostnames.join("\n"),
    upstreams: formatUpstreamLines(site.upstreams),
    certificateId: site.certificateId ?? "",
    enabled: site.enabled,
    forceHttps: site.forceHttps,
    hsts: site.hsts,
    websockets: site.websockets,
    preserveHost: site.preserveHost,
    verifyUpstreamTls: site.verifyUpstreamTls,
    policy: site.loadBalancing.policy,
    ...healthCheckValues(site.healthCheck),
  };
}

function healthCheckValues(check: HealthCheck): HealthCheckValues {
  return {
    hcEnabled: check.enabled,
    hcPath: check.path,
    hcInterval: String(check.intervalSeconds),
    hcTimeout: String(check.timeoutSeconds),
    hcExpectedStatus: check.expectedStatus,
    hcHealthy: String(check.healthyThreshold),
    hcUnhealthy: String(check.unhealthyThreshold),
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

/** The health check as the form holds it: numbers as typed, so a half-typed value is never lost. */
export interface HealthCheckValues {
  hcEnabled: boolean;
  hcPath: string;
  hcInterval: string;
  hcTimeout: string;
  hcExpectedStatus: string;
  hcHealthy: string;
  hcUnhealthy: string;
}

export interface SiteFormValues extends HealthCheckValues {
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
  policy: LoadBalancingPolicy;
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
  policy: "round_robin",
  ...healthCheckValues(defaultHealthCheck),
};

