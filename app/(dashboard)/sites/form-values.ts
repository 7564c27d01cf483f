import type { Certificate } from "@/lib/schemas/certificate";
import type { Site } from "@/lib/schemas/site";
import { defaultSecurityHeaders, noCustomHeaders, type CustomHeaders, type SecurityHeaders, type TlsPolicy } from "@/lib/schemas/site-security";
import { defaultHealthCheck, type HealthCheck, type LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import { isIssued } from "@/app/_lib/certificate-view";
import { formatUpstreamLines } from "@/app/_lib/upstream-lines";
import { HEADER_KINDS, presetHeaderNames, type HeaderKind } from "./security-labels";
import { displayHostname } from "@/lib/net/display-hostname";

export function formValuesOf(site: Site): SiteFormValues {
  return {
    name: site.name,
    hostnames: site.hostnames.map(displayHostname).join("\n"),
    upstreams: formatUpstreamLines(site.upstreams),
    certificateId: site.certificateId ?? "",
    enabled: site.enabled,
    forceHttps: site.forceHttps,
    hsts: site.hsts,
    websockets: site.websockets,
    preserveHost: site.preserveHost,
    verifyUpstreamTls: site.verifyUpstreamTls,
    allowLinkLocalUpstreams: site.allowLinkLocalUpstreams,
    policy: site.loadBalancing.policy,
    ...healthCheckValues(site.healthCheck),
    passiveHealthCountsServerErrors: site.passiveHealthCountsServerErrors,
    ...securityValues(site),
  };
}

function securityValues(
  site: Pick<Site, "accessListId" | "rateLimit" | "blockExploits" | "securityHeaders" | "customHeaders" | "tlsPolicy">,
): SecurityFormValues {
  // A preset that sends no header is how "off, but keep the HSTS options" is stored: shown as off.
  const headersOn = presetHeaderNames(site.securityHeaders).length > 0;
  const headers: SecurityHeaders = headersOn && site.securityHeaders ? site.securityHeaders : defaultSecurityHeaders;
  const hsts = site.securityHeaders?.hsts ?? defaultSecurityHeaders.hsts;
  return {
    accessListId: site.accessListId ?? "",
    rateLimitOn: site.rateLimit !== null,
    rateLimitRps: String(site.rateLimit?.requestsPerSecond ?? DEFAULT_RATE_LIMIT.requestsPerSecond),
    rateLimitBurst: String(site.rateLimit?.burst ?? DEFAULT_RATE_LIMIT.burst),
    rateLimitMaxConnections: site.rateLimit?.maxConnectionsPerIp === undefined ? "" : String(site.rateLimit.maxConnectionsPerIp),
    blockExploits: site.blockExploits,
    securityHeadersOn: headersOn,
    frameOptions: headers.frameOptions,
    contentTypeOptions: headers.contentTypeOptions,
    referrerPolicy: headers.referrerPolicy,
    permissionsPolicy: headers.permissionsPolicy,
    contentSecurityPolicy: headers.contentSecurityPolicy,
    hstsMaxAge: String(hsts.maxAge),
    hstsIncludeSubDomains: hsts.includeSubDomains,
    customHeaders: headerRowsOf(site.customHeaders),
    tlsPolicy: site.tlsPolicy,
  };
}

/** What the rate-limit fields offer when it is switched on: generous enough for a page full of images. */
export const DEFAULT_RATE_LIMIT = { requestsPerSecond: 20, burst: 50 } as const;

/** The four lists as one list of rows, in the order the form shows the kinds. */
function headerRowsOf(headers: CustomHeaders): CustomHeaderRow[] {
  return HEADER_KINDS.flatMap<CustomHeaderRow>(({ value: kind }) =>
    kind === "requestRemove" || kind === "responseRemove"
      ? headers[kind].map((name) => ({ kind, name, value: "" }))
      : headers[kind].map(({ name, value }) => ({ kind, name, value })),
  );
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

/** One custom header as the form holds it; removals have no value. */
export interface CustomHeaderRow {
  kind: HeaderKind;
  name: string;
  value: string;
}

/** The security settings as the form holds them: numbers as typed, switches apart from their options. */
export interface SecurityFormValues {
  accessListId: string;
  rateLimitOn: boolean;
  rateLimitRps: string;
  rateLimitBurst: string;
  /** Empty: no cap. */
  rateLimitMaxConnections: string;
  blockExploits: boolean;
  securityHeadersOn: boolean;
  frameOptions: SecurityHeaders["frameOptions"];
  contentTypeOptions: boolean;
  referrerPolicy: SecurityHeaders["referrerPolicy"];
  permissionsPolicy: string;
  contentSecurityPolicy: string;
  /** Shown with the HSTS switch; stored with the security headers. */
  hstsMaxAge: string;
  hstsIncludeSubDomains: boolean;
  customHeaders: CustomHeaderRow[];
  tlsPolicy: TlsPolicy;
}

export interface SiteFormValues extends HealthCheckValues, SecurityFormValues {
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
  allowLinkLocalUpstreams: boolean;
  policy: LoadBalancingPolicy;
  passiveHealthCountsServerErrors: boolean;
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
  allowLinkLocalUpstreams: false,
  policy: "round_robin",
  ...healthCheckValues(defaultHealthCheck),
  passiveHealthCountsServerErrors: false,
  // The same defaults the API gives a new site: exploit blocking and security headers on.
  ...securityValues({
    accessListId: null,
    rateLimit: null,
    blockExploits: true,
    securityHeaders: defaultSecurityHeaders,
    customHeaders: noCustomHeaders,
    tlsPolicy: "intermediate",
  }),
};
