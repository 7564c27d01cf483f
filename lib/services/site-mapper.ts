import type { Site } from "../schemas/site";
import type { SiteData } from "../schemas/site";

export interface SiteRow {
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

export const siteInclude = {
  hostnames: { orderBy: { position: "asc" } },
  upstreams: { orderBy: { position: "asc" } },
} as const;

export function toSite(row: SiteRow): Site {
  const applied = row.appliedRevision !== null && row.appliedRevision >= row.revision && row.applyError === null;
  return {
    id: row.id,
    name: row.name,
    hostnames: row.hostnames.map((h) => h.hostname),
    upstreams: row.upstreams.map(({ id, url, weight }) => ({ id, url, weight })),
    enabled: row.enabled,
    certificateId: row.certificateId,
    forceHttps: row.forceHttps,
    hsts: row.hsts,
    websockets: row.websockets,
    preserveHost: row.preserveHost,
    verifyUpstreamTls: row.verifyUpstreamTls,
    status: { applied, appliedRevision: row.appliedRevision, error: row.applyError },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
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
  };
}
