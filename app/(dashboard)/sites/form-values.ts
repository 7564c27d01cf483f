import type { Certificate } from "@/lib/schemas/certificate";
import type { Site, SiteData } from "@/lib/schemas/site";
import { defaultSecurityHeaders, noCustomHeaders, type CustomHeaders } from "@/lib/schemas/site-security";
import { defaultHealthCheck } from "@/lib/schemas/upstream-health";
import { isIssued } from "@/app/_lib/certificate-view";
import { formatUpstreamLines } from "@/app/_lib/upstream-lines";
import { HEADER_KINDS, presetHeaderNames, type HeaderKind } from "./security-labels";
import { displayHostname } from "@/lib/net/display-hostname";
import { ERROR_PAGE_STATUSES, noMaintenance, type ErrorPages, type Redirect } from "@/lib/schemas/site-routing";
import { routeRowOf, type RouteRow } from "./routing-form";
import { compressionValues } from "./compression-form";
import { cacheValues } from "./cache-form";
import { defaultCache } from "@/lib/schemas/site-cache";
import { defaultCompression } from "@/lib/schemas/site-compression";

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
    tlsMode: site.tlsMode,
    proxyProtocol: site.proxyProtocol,
    "loadBalancing.policy": site.loadBalancing.policy,
    ...fieldsUnder("healthCheck", site.healthCheck),
    passiveHealthCountsServerErrors: site.passiveHealthCountsServerErrors,
    ...securityValues(site),
    ...routingValues(site),
    ...compressionValues(site.compression),
    ...cacheValues(site.cache),
  };
}

function routingValues(site: Pick<Site, "routes" | "redirect" | "maintenance" | "errorPages">) {
  return {
    routes: site.routes.map(routeRowOf),
    redirect: site.redirect !== null,
    // Switched off, the whole-site redirect offers the usual choice: permanent, keeping the path.
    ...fieldsUnder("redirect", site.redirect ?? DEFAULT_SITE_REDIRECT),
    ...fieldsUnder("maintenance", site.maintenance),
    ...fieldsUnder("errorPages", Object.fromEntries(ERROR_PAGE_STATUSES.map((code) => [code, site.errorPages[code] ?? ""])) as Required<ErrorPages>),
  };
}

const DEFAULT_SITE_REDIRECT: Redirect = { to: "", status: 301, preservePath: true };

function securityValues(site: Pick<Site, "accessListId" | "rateLimit" | "blockExploits" | "securityHeaders" | "customHeaders" | "tlsPolicy">) {
  // A preset that sends no header is how "off, but keep the HSTS options" is stored: shown as off.
  const headersOn = presetHeaderNames(site.securityHeaders).length > 0;
  // The HSTS options go with the HSTS switch, whether the headers are on or not.
  const { hsts: _hsts, ...headers } = headersOn && site.securityHeaders ? site.securityHeaders : defaultSecurityHeaders;
  return {
    accessListId: site.accessListId ?? "",
    rateLimit: site.rateLimit !== null,
    // No connection cap: an empty field.
    ...fieldsUnder("rateLimit", { ...DEFAULT_RATE_LIMIT, maxConnectionsPerIp: undefined, ...site.rateLimit }),
    blockExploits: site.blockExploits,
    securityHeaders: headersOn,
    ...fieldsUnder("securityHeaders", headers),
    ...fieldsUnder("securityHeaders.hsts", site.securityHeaders?.hsts ?? defaultSecurityHeaders.hsts),
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

/** An object's settings as the form fields under its path hold them ("healthCheck.path"). */
function fieldsUnder<P extends string, T extends object>(path: P, values: T): FieldsUnder<P, T> {
  const entries = Object.entries(values).map(([key, value]) => [`${path}.${key}`, typeof value === "number" ? String(value) : (value ?? "")]);
  return Object.fromEntries(entries) as FieldsUnder<P, T>;
}

type FieldsUnder<P extends string, T> = { [K in keyof T & string as `${P}.${K}`]-?: AsTyped<T[K]> };

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

/** One custom header as the form holds it; removals have no value. */
export interface CustomHeaderRow {
  kind: HeaderKind;
  name: string;
  value: string;
}

/**
 * Every setting of the schema by its path: nested objects opened up ("securityHeaders.hsts.maxAge"),
 * lists kept whole ("upstreams").
 */
type PathsOf<T, Prefix extends string = ""> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends readonly unknown[] | string | number | boolean
    ? `${Prefix}${K}`
    : PathsOf<NonNullable<T[K]>, `${Prefix}${K}.`>;
}[keyof T & string];

type ValueAt<T, Path extends string> = Path extends `${infer K}.${infer Rest}` ? ValueAt<NonNullable<T[K & keyof T]>, Rest> : T[Path & keyof T];

/** A value as the form holds it: numbers and lists as typed, so a half-typed value is never lost; none as "". */
type AsTyped<T> = NonNullable<T> extends number | readonly unknown[] ? string : NonNullable<T>;

/**
 * The site form's values, each named by its path in lib/schemas/site.ts, which is also its field's
 * name, so errors at a schema path land on the field of that name. The custom headers and the
 * routes are lists of rows in the form; the settings that are null when off (rateLimit,
 * securityHeaders, redirect) have a switch named by their path.
 */
export type SiteFormValues = { [Path in Exclude<PathsOf<SiteData>, `customHeaders.${string}` | "routes">]: AsTyped<ValueAt<SiteData, Path>> } & {
  rateLimit: boolean;
  securityHeaders: boolean;
  customHeaders: CustomHeaderRow[];
  redirect: boolean;
  routes: RouteRow[];
};

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
  tlsMode: "terminate",
  proxyProtocol: false,
  "loadBalancing.policy": "round_robin",
  ...fieldsUnder("healthCheck", defaultHealthCheck),
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
  ...routingValues({ routes: [], redirect: null, maintenance: noMaintenance, errorPages: {} }),
  ...compressionValues(defaultCompression),
  ...cacheValues(defaultCache),
};

/** Every field of the site form, in the form's order: where errors can be shown. */
export const SITE_FIELDS = Object.keys(NEW_SITE) as (keyof SiteFormValues)[];
