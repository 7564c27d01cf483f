import { createHash } from "node:crypto";
import { certificateVersion, pemFingerprint256 } from "../certs/fingerprint";
import { balancingFromColumns, securityFromColumns, type SiteRow } from "../services/site-mapper";
import { snapshotSiteSchema, type ProxySnapshot, type SnapshotAccessList, type SnapshotSite } from "../schemas/snapshot";

/**
 * A site as stored; the proxy's own status columns play no part in what it serves. Its revision
 * says when it last changed (every save sets it), so an unchanged site need not be parsed again.
 */
// The data plane never needs the dashboard-side checks (allowLinkLocalUpstreams is one of them).
export type SnapshotSiteRow = Omit<SiteRow, "appliedRevision" | "applyError" | "createdAt" | "updatedAt" | "allowLinkLocalUpstreams">;

/**
 * The sites parsed by earlier builds, by id, with the revision each was parsed at: a build parses
 * only the sites saved since (the parse is most of a build's cost: 70 ms for 1,000 sites).
 */
export type ParsedSites = Map<string, { revision: number; site: SnapshotSite }>;

export interface SnapshotCertificateRow {
  id: string;
  domains: string;
  certificatePem: string;
  chainPem: string;
  /** Sealed: the snapshot never opens a key (a worker asks for it when a handshake needs it). */
  privateKeyEnc: string;
}

export interface BuiltSnapshot {
  snapshot: ProxySnapshot;
  /** Sites left out because their stored rows are unusable, with the reason, keyed by site id. */
  siteErrors: Record<string, string>;
}

/**
 * Pure: database rows -> the one value the data plane serves from. Disabled sites are left out
 * (their hostnames answer 404), only certificates that an enabled site uses are carried, and a
 * site whose rows do not validate is left out alone rather than failing the whole snapshot.
 */
export function buildSnapshot(
  revision: number,
  siteRows: SnapshotSiteRow[],
  certificateRows: SnapshotCertificateRow[],
  /** Already in snapshot form (lib/config/load-access-lists.ts): only those enabled sites use. */
  accessLists: SnapshotAccessList[] = [],
  /** The global setting (lib/services/settings.ts): peers whose X-Forwarded-* headers are believed. */
  trustedProxies: string[] = [],
  /** Kept by the caller across builds; updated here (sites gone are forgotten). */
  parsedSites: ParsedSites = new Map(),
): BuiltSnapshot {
  const siteErrors: Record<string, string> = {};
  const sites: SnapshotSite[] = [];
  const seen = new Set<string>();
  for (const row of siteRows.filter((site) => site.enabled)) {
    seen.add(row.id);
    const earlier = parsedSites.get(row.id);
    if (earlier !== undefined && earlier.revision === row.revision) {
      sites.push(earlier.site);
      continue;
    }
    const parsed = snapshotSiteSchema.safeParse({
      id: row.id,
      name: row.name,
      hostnames: byPosition(row.hostnames).map((h) => h.hostname),
      upstreams: byPosition(row.upstreams).map(({ id, url, weight }) => ({ id, url, weight })),
      certificateId: row.certificateId,
      forceHttps: row.forceHttps,
      hsts: row.hsts,
      websockets: row.websockets,
      preserveHost: row.preserveHost,
      verifyUpstreamTls: row.verifyUpstreamTls,
      passiveHealthCountsServerErrors: row.passiveHealthCountsServerErrors,
      ...balancingFromColumns(row),
      ...securityFromColumns(row),
    });
    if (parsed.success) {
      sites.push(parsed.data);
      parsedSites.set(row.id, { revision: row.revision, site: parsed.data });
    } else {
      siteErrors[row.id] = `Stored settings are invalid: ${parsed.error.issues[0]?.message ?? "unknown problem"}`;
      parsedSites.delete(row.id);
    }
  }
  for (const id of parsedSites.keys()) if (!seen.has(id)) parsedSites.delete(id);
  sites.sort((a, b) => a.id.localeCompare(b.id));

  const used = new Set(sites.map((site) => site.certificateId).filter((id): id is string => id !== null));
  const certificates = certificateRows
    .filter((certificate) => used.has(certificate.id))
    .map((certificate) => ({
      id: certificate.id,
      domains: JSON.parse(certificate.domains) as string[],
      version: certificateVersion(certificate.certificatePem, certificate.chainPem, certificate.privateKeyEnc),
      fingerprint256: pemFingerprint256(certificate.certificatePem),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));

  // Sorted like the rest, so the hash does not depend on the order the database returned them in.
  const sortedAccessLists = [...accessLists].sort((a, b) => a.id.localeCompare(b.id));

  return { snapshot: { revision, sites, certificates, accessLists: sortedAccessLists, trustedProxies }, siteErrors };
}

function byPosition<T extends { position: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.position - b.position);
}

/** Identifies what is served, not when: two revisions with the same content hash the same. */
export function snapshotHash(snapshot: ProxySnapshot): string {
  const { revision: _revision, ...content } = snapshot;
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}
