import type { Site, SiteData } from "../schemas/site";
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

export interface SiteRow extends SiteBalancingColumns {
  id: string;
  name: string;
  enabled: boolean;
  forceHttps: boolean;
  hsts: boolean;
  websockets: boolean;
  preserveHost: boolean;
  verifyUpstreamTls: boolean;
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
  address: string;
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

export function toSite(row: SiteRow, health: ReadonlyMap<string, UpstreamHealthRow> = new Map()): Site {
  const applied = row.appliedRevision !== null && row.appliedRevision >= row.revision && row.applyError === null;
  return {
    id: row.id,
    name: row.name,
    hostnames: row.hostnames.map((h) => h.hostname),
    upstreams: row.upstreams.map(({ id, url, weight }) => ({ id, url, weight, health: toHealth(health.get(url)) })),
    enabled: row.enabled,
    certificateId: row.certificateId,
    forceHttps: row.forceHttps,
    hsts: row.hsts,
    websockets: row.websockets,
    preserveHost: row.preserveHost,
    verifyUpstreamTls: row.verifyUpstreamTls,
    ...balancingFromColumns(row),
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
    loadBalancing: site.loadBalancing,
    healthCheck: site.healthCheck,
  };
}
