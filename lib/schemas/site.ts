import { z } from "zod";
import { ownPorts, upstreamTargetProblem } from "../net/upstream-target";
import { hostnameSchema } from "./hostname";
import { isPlainObject, mergeObject } from "./merge-patch";
import { nameSchema } from "./text";
import { upstreamInputSchema, type Upstream } from "./upstream";
import { ERROR_PAGE_STATUSES, errorPagesSchema, MAX_ROUTES, maintenanceSchema, noMaintenance, redirectSchema, routeSchema } from "./site-routing";
import {
  customHeadersSchema,
  defaultSecurityHeaders,
  noCustomHeaders,
  rateLimitSchema,
  securityHeadersSchema,
  tlsPolicySchema,
  type CustomHeaders,
} from "./site-security";
import { compressionSchema, defaultCompression } from "./site-compression";
import { cacheSchema, defaultCache } from "./site-cache";
import { defaultHealthCheck, healthCheckFields, healthCheckSchema, loadBalancingSchema, type UpstreamHealth } from "./upstream-health";

/** `maxConnectionsPerIp: null` means no cap here too, as in a PATCH (where null removes a key). */
const rateLimitInput = z.preprocess((value) => {
  if (!isPlainObject(value) || value.maxConnectionsPerIp !== null) return value;
  const { maxConnectionsPerIp: _uncapped, ...rest } = value;
  return rest;
}, rateLimitSchema);

/**
 * How the HTTPS port serves a site: "terminate" decrypts and proxies its requests; "passthrough"
 * splices the encrypted connection, chosen by the ClientHello's server name, to tcp:// upstreams
 * that hold their own certificate.
 */
export const TLS_MODES = ["terminate", "passthrough"] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** The site as the user gives it: every other shape of a site (row, snapshot, form) takes its names and types from here. */
export const siteFields = z
  .object({
    name: nameSchema("Give the site a name"),
    hostnames: z.array(hostnameSchema).min(1, "Add at least one hostname").max(100, "A site can have at most 100 hostnames"),
    // At least one, unless the site is a redirect (checkSite).
    upstreams: z.array(upstreamInputSchema).max(50, "A site can have at most 50 upstream servers"),
    enabled: z.boolean().default(true),
    certificateId: z.string().min(1).nullable().default(null),
    forceHttps: z.boolean().default(false),
    hsts: z.boolean().default(false),
    websockets: z.boolean().default(true),
    preserveHost: z.boolean().default(true),
    verifyUpstreamTls: z.boolean().default(true),
    /** Upstreams on link-local addresses (169.254.0.0/16, fe80::/10), cloud metadata services among them. */
    allowLinkLocalUpstreams: z.boolean().default(false),
    loadBalancing: loadBalancingSchema.strict().default({ policy: "round_robin" }),
    // Any subset of the health-check settings; the rest take the defaults that just work.
    healthCheck: healthCheckFields
      .partial()
      .strict()
      .transform((sent) => ({ ...defaultHealthCheck, ...sent }))
      .pipe(healthCheckSchema)
      .default(defaultHealthCheck),
    /** Passive health: 5xx answers count as failures too (as nginx's proxy_next_upstream http_5xx); errors and timeouts always do. */
    passiveHealthCountsServerErrors: z.boolean().default(false),
    accessListId: z.string().min(1, "Choose an access list, or none").nullable().default(null),
    rateLimit: rateLimitInput.nullable().default(null),
    // New sites start protected; the column default (false) keeps sites made before this as they were.
    blockExploits: z.boolean().default(true),
    // Likewise on for new sites: each header is only added when the upstream did not send its own.
    securityHeaders: securityHeadersSchema.nullable().default(defaultSecurityHeaders),
    customHeaders: customHeadersSchema.default(noCustomHeaders),
    tlsPolicy: tlsPolicySchema.default("intermediate"),
    tlsMode: z.enum(TLS_MODES, { error: 'Choose "terminate" or "passthrough"' }).default("terminate"),
    /** Pass-through only: tell the upstream the client's address with a PROXY protocol v2 header. */
    proxyProtocol: z.boolean().default(false),
    /** Tried longest prefix first; a request no route takes goes to the site's own upstreams. */
    routes: z.array(routeSchema).max(MAX_ROUTES, `A site can have at most ${MAX_ROUTES} routes`).default([]),
    /** A redirection host: every request is redirected, and the site needs no upstream. */
    redirect: redirectSchema.nullable().default(null),
    maintenance: maintenanceSchema.default(noMaintenance),
    errorPages: errorPagesSchema.default({}),
    compression: compressionSchema.default(defaultCompression),
    cache: cacheSchema.default(defaultCache),
  })
  // A misspelt key ("upstream", "hostname") must not be dropped in silence, as PATCH already refuses.
  .strict();

/**
 * Fields holding an object: a patch changes the keys it sends inside them, not the whole object
 * (null inside removes a key, as in a JSON merge patch). Sending null for the whole of
 * rateLimit or securityHeaders switches it off; a sent customHeaders list replaces that list.
 */
const NESTED = [
  "loadBalancing",
  "healthCheck",
  "rateLimit",
  "securityHeaders",
  "customHeaders",
  "redirect",
  "maintenance",
  "errorPages",
  "compression",
  "cache",
] as const;

function checkSite(site: z.output<typeof siteFields>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  site.hostnames.forEach((hostname, index) => {
    if (seen.has(hostname)) {
      ctx.addIssue({ code: "custom", path: ["hostnames", index], message: `"${hostname}" is listed twice` });
    }
    seen.add(hostname);
  });
  if (site.upstreams.length === 0 && site.redirect === null && site.tlsMode === "terminate") {
    ctx.addIssue({ code: "custom", path: ["upstreams"], message: "Add at least one upstream server" });
  }
  const ports = ownPorts();
  const checkUpstreams = (upstreams: { url: string }[], path: (string | number)[]) =>
    upstreams.forEach(({ url }, index) => {
      const problem = upstreamTargetProblem(url, ports, site.allowLinkLocalUpstreams);
      if (problem !== null) ctx.addIssue({ code: "custom", path: [...path, index, "url"], message: problem });
    });
  checkUpstreams(site.upstreams, ["upstreams"]);
  const routes = new Set<string>();
  site.routes.forEach((route, index) => {
    checkUpstreams(route.upstreams ?? [], ["routes", index, "upstreams"]);
    const key = JSON.stringify([route.pathPrefix, Object.entries(route.headers).sort()]);
    if (routes.has(key))
      ctx.addIssue({ code: "custom", path: ["routes", index, "pathPrefix"], message: `${route.pathPrefix} is listed twice: keep one` });
    routes.add(key);
  });
  if (site.tlsMode === "passthrough") checkPassthrough(site, ctx);
  else checkTerminated(site, ctx);
  checkCustomHeaders(site.customHeaders, ctx);
}

const isTcp = (url: string) => url.startsWith("tcp://");

/** The proxy never decrypts a pass-through site: it has what TLS and the upstream's answers need, and nothing else. */
function checkPassthrough(site: z.output<typeof siteFields>, ctx: z.RefinementCtx): void {
  site.upstreams.forEach(({ url }, index) => {
    if (!isTcp(url)) {
      const message = `"${url}": a pass-through site forwards the encrypted connection as it is: write tcp://host:port`;
      ctx.addIssue({ code: "custom", path: ["upstreams", index, "url"], message });
    }
  });
  const refuse = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
  if (site.upstreams.length === 0) refuse("upstreams", "Add at least one upstream server");
  if (site.certificateId !== null) refuse("certificateId", "A pass-through site shows its upstream's own certificate: choose no certificate");
  if (site.redirect !== null) refuse("redirect", "A pass-through site cannot redirect: the proxy never sees its requests");
  if (site.routes.length > 0) refuse("routes", "A pass-through site cannot route by path: the proxy never sees its requests");
  if (site.hsts) refuse("hsts", "On a pass-through site the upstream sends its own headers: turn HSTS on there");
}

function checkTerminated(site: z.output<typeof siteFields>, ctx: z.RefinementCtx): void {
  const tcpUpstream = (path: (string | number)[], url: string) =>
    ctx.addIssue({
      code: "custom",
      path,
      message: `"${url}": tcp:// upstreams are for pass-through sites: turn on TLS pass-through, or write http:// or https://`,
    });
  site.upstreams.forEach(({ url }, index) => isTcp(url) && tcpUpstream(["upstreams", index, "url"], url));
  site.routes.forEach((route, routeIndex) =>
    route.upstreams?.forEach(({ url }, index) => isTcp(url) && tcpUpstream(["routes", routeIndex, "upstreams", index, "url"], url)),
  );
  if (site.proxyProtocol) {
    ctx.addIssue({
      code: "custom",
      path: ["proxyProtocol"],
      message: "The PROXY protocol is sent on pass-through connections only: turn on TLS pass-through first",
    });
  }
  if (site.forceHttps && site.certificateId === null) {
    ctx.addIssue({ code: "custom", path: ["forceHttps"], message: "Force HTTPS needs a certificate: choose one first" });
  }
  if (site.hsts && site.certificateId === null) {
    ctx.addIssue({ code: "custom", path: ["hsts"], message: "HSTS needs a certificate: choose one first" });
  }
}

/** A header named twice in one list, or both set and removed, leaves the outcome to list order: ask instead. */
function checkCustomHeaders(headers: CustomHeaders, ctx: z.RefinementCtx): void {
  const directions = [
    ["requestSet", "requestRemove"],
    ["responseSet", "responseRemove"],
  ] as const;
  for (const [setKey, removeKey] of directions) {
    const set = new Set<string>();
    headers[setKey].forEach(({ name }, index) => {
      if (set.has(name))
        ctx.addIssue({ code: "custom", path: ["customHeaders", setKey, index, "name"], message: `“${name}” is set twice: keep one` });
      set.add(name);
    });
    const removed = new Set<string>();
    headers[removeKey].forEach((name, index) => {
      if (set.has(name)) {
        ctx.addIssue({ code: "custom", path: ["customHeaders", removeKey, index], message: `“${name}” is both set and removed: keep one` });
      } else if (removed.has(name)) {
        ctx.addIssue({ code: "custom", path: ["customHeaders", removeKey, index], message: `“${name}” is removed twice: keep one` });
      }
      removed.add(name);
    });
  }
}

/** A whole site, as created. Updates are merged onto the stored site and checked with this same schema. */
export const siteInputSchema = siteFields.superRefine(checkSite);
export type SiteInput = z.input<typeof siteInputSchema>;
export type SiteData = z.output<typeof siteInputSchema>;

/** A PATCH body: any subset of the fields, nothing else. */
export const sitePatchSchema = siteFields
  .extend({
    loadBalancing: loadBalancingSchema.partial(),
    healthCheck: healthCheckFields.partial().strict(),
    // null for the whole object switches it off; inside, null drops the optional connection cap.
    rateLimit: rateLimitSchema
      .partial()
      .extend({ maxConnectionsPerIp: rateLimitSchema.shape.maxConnectionsPerIp.unwrap().nullable().optional() })
      .nullable(),
    securityHeaders: securityHeadersSchema.partial().nullable(),
    customHeaders: customHeadersSchema.partial(),
    redirect: redirectSchema.partial().nullable(),
    maintenance: maintenanceSchema.partial(),
    // null removes a page.
    errorPages: z.partialRecord(z.enum(ERROR_PAGE_STATUSES), errorPagesSchema.shape["404"].unwrap().nullable()),
    compression: compressionSchema.partial(),
    cache: cacheSchema.partial(),
  })
  .partial()
  .strict();
export type SitePatch = z.input<typeof sitePatchSchema>;

/** Merges a patch onto stored data and validates the result as a whole site. */
export function mergeSitePatch(current: SiteData, patch: unknown) {
  const parsedPatch = sitePatchSchema.safeParse(patch);
  if (!parsedPatch.success) return parsedPatch;
  // Only keys the caller sent override; zod's defaults must not reset stored values.
  const sent: Record<string, unknown> = { ...(patch as Record<string, unknown>) };
  for (const key of NESTED) {
    const value = sent[key];
    if (isPlainObject(value)) sent[key] = mergeObject(current[key], value);
  }
  return siteInputSchema.safeParse({ ...current, ...sent });
}

export interface SiteStatus {
  applied: boolean;
  appliedRevision: number | null;
  error: string | null;
}

/** A stored site: what was given, plus what the product knows about it. */
export type Site = Omit<SiteData, "upstreams"> & {
  id: string;
  upstreams: (Upstream & { health: UpstreamHealth })[];
  status: SiteStatus;
  createdAt: string;
  updatedAt: string;
};
