import type { z } from "zod";
import type { Site, SiteData } from "../schemas/site";
import {
  customHeadersSchema,
  defaultSecurityHeaders,
  noCustomHeaders,
  rateLimitSchema,
  securityHeadersSchema,
  tlsPolicySchema,
} from "../schemas/site-security";
import type { LoadBalancingPolicy, UpstreamHealth, UpstreamState } from "../schemas/upstream-health";

/** Columns that hold the load-balancing policy and the health check (flat in the table). */
export interface SiteBalancingColumns {
  lbPolicy: string;
  hcEnabled: boolean;
  hcPath: string;
  hcIntervalSeconds: number;
  hcTimeoutSeconds: number;
  hcExpectedStatus: string;
  hcHealthyThreshold: number;
  hcUnhealthyThreshold: number;
}

/** Columns that hold a site's edge security; the objects are JSON text. */
export interface SiteSecurityColumns {
  accessListId: string | null;
  rateLimit: string | null;
  blockExploits: boolean;
  securityHeaders: string | null;
  customHeaders: string;
  tlsPolicy: string;
}

export interface SiteRow extends SiteBalancingColumns, SiteSecurityColumns {
  id: string;
  name: string;
  enabled: boolean;
  forceHttps: boolean;
  hsts: boolean;
  websockets: boolean;
  preserveHost: boolean;
  verifyUpstreamTls: boolean;
  allowLinkLocalUpstreams: boolean;
  passiveHealthCountsServerErrors: boolean;
  certificateId: string | null;
  revision: number;
  appliedRevision: number | null;
  applyError: string | null;
  createdAt: Date;
  updatedAt: Date;
  hostnames: { hostname: string; position: number }[];
  upstreams: { id: string; url: string; weight: number; position: number }[];
}

export interface UpstreamHealthRow {
  upstreamId: string;
  state: string;
  checkedAt: Date;
  latencyMs: number | null;
  message: string | null;
}

export const siteInclude = {
  hostnames: { orderBy: { position: "asc" } },
  upstreams: { orderBy: { position: "asc" } },
} as const;

const UNKNOWN: UpstreamHealth = { state: "unknown", checkedAt: null, latencyMs: null, message: null };

/** `health`: each upstream's verdict by upstream id. */
export function toSite(row: SiteRow, health: ReadonlyMap<string, UpstreamHealthRow> = new Map()): Site {
  const applied = row.appliedRevision !== null && row.appliedRevision >= row.revision && row.applyError === null;
  return {
    id: row.id,
    name: row.name,
    hostnames: row.hostnames.map((h) => h.hostname),
    upstreams: row.upstreams.map(({ id, url, weight }) => ({ id, url, weight, health: toHealth(health.get(id)) })),
    enabled: row.enabled,
    certificateId: row.certificateId,
    forceHttps: row.forceHttps,
    hsts: row.hsts,
    websockets: row.websockets,
    preserveHost: row.preserveHost,
    verifyUpstreamTls: row.verifyUpstreamTls,
    allowLinkLocalUpstreams: row.allowLinkLocalUpstreams,
    passiveHealthCountsServerErrors: row.passiveHealthCountsServerErrors,
    ...balancingFromColumns(row),
    ...securityFromColumns(row),
    status: { applied, appliedRevision: row.appliedRevision, error: row.applyError },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toHealth(row: UpstreamHealthRow | undefined): UpstreamHealth {
  if (!row) return UNKNOWN;
  return { state: row.state as UpstreamState, checkedAt: row.checkedAt.toISOString(), latencyMs: row.latencyMs, message: row.message };
}

export function balancingFromColumns(row: SiteBalancingColumns): Pick<SiteData, "loadBalancing" | "healthCheck"> {
  return {
    loadBalancing: { policy: row.lbPolicy as LoadBalancingPolicy },
    healthCheck: {
      enabled: row.hcEnabled,
      path: row.hcPath,
      intervalSeconds: row.hcIntervalSeconds,
      timeoutSeconds: row.hcTimeoutSeconds,
      expectedStatus: row.hcExpectedStatus,
      healthyThreshold: row.hcHealthyThreshold,
      unhealthyThreshold: row.hcUnhealthyThreshold,
    },
  };
}

export function balancingColumns({ loadBalancing, healthCheck }: Pick<SiteData, "loadBalancing" | "healthCheck">): SiteBalancingColumns {
  return {
    lbPolicy: loadBalancing.policy,
    hcEnabled: healthCheck.enabled,
    hcPath: healthCheck.path,
    hcIntervalSeconds: healthCheck.intervalSeconds,
    hcTimeoutSeconds: healthCheck.timeoutSeconds,
    hcExpectedStatus: healthCheck.expectedStatus,
    hcHealthyThreshold: healthCheck.healthyThreshold,
    hcUnhealthyThreshold: healthCheck.unhealthyThreshold,
  };
}

/** The stored site as validated input, so a patch can be merged onto it and checked whole. */
export function toSiteData(site: Site): SiteData {
  return {
    name: site.name,
    hostnames: site.hostnames,
    upstreams: site.upstreams.map(({ url, weight }) => ({ url, weight })),
    enabled: site.enabled,
    certificateId: site.certificateId,
    forceHttps: site.forceHttps,
    hsts: site.hsts,
    websockets: site.websockets,
    preserveHost: site.preserveHost,
    verifyUpstreamTls: site.verifyUpstreamTls,
    allowLinkLocalUpstreams: site.allowLinkLocalUpstreams,
    loadBalancing: site.loadBalancing,
    healthCheck: site.healthCheck,
    passiveHealthCountsServerErrors: site.passiveHealthCountsServerErrors,
    accessListId: site.accessListId,
    rateLimit: site.rateLimit,
    blockExploits: site.blockExploits,
    securityHeaders: site.securityHeaders,
    customHeaders: site.customHeaders,
    tlsPolicy: site.tlsPolicy,
  };
}

type SiteSecurity = Pick<SiteData, "accessListId" | "rateLimit" | "blockExploits" | "securityHeaders" | "customHeaders" | "tlsPolicy">;

/**
 * The stored security settings. Rows are written validated, but a value that an older or newer
 * version wrote may not parse today: it falls back to a safe default instead of failing a whole
 * list (the dashboard and the proxy both read through here, so what is shown is what is served).
 */
export function securityFromColumns(row: SiteSecurityColumns): SiteSecurity {
  return {
    accessListId: row.accessListId,
    // No limit rather than a made-up one that could turn real visitors away.
    rateLimit: row.rateLimit === null ? null : parsedJson(rateLimitSchema, row.rateLimit, null),
    blockExploits: row.blockExploits,
    // The headers were on: keep them on, with the defaults.
    securityHeaders: row.securityHeaders === null ? null : parsedJson(securityHeadersSchema, row.securityHeaders, defaultSecurityHeaders),
    customHeaders: parsedJson(customHeadersSchema, row.customHeaders, noCustomHeaders),
    // Intermediate serves every client the modern policy does, and older ones too.
    tlsPolicy: tlsPolicySchema.catch("intermediate").parse(row.tlsPolicy),
  };
}

export function securityColumns(site: SiteSecurity): SiteSecurityColumns {
  return {
    accessListId: site.accessListId,
    rateLimit: site.rateLimit === null ? null : JSON.stringify(site.rateLimit),
    blockExploits: site.blockExploits,
    securityHeaders: site.securityHeaders === null ? null : JSON.stringify(site.securityHeaders),
    customHeaders: JSON.stringify(site.customHeaders),
    tlsPolicy: site.tlsPolicy,
  };
}

function parsedJson<T, F>(schema: z.ZodType<T>, text: string, fallback: F): T | F {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fallback;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}
