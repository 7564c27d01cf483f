import { createHash } from "node:crypto";
import { certificateVersion, pemFingerprint256 } from "../certs/fingerprint";
import { siteDataFromRow, type SiteRow, type StoredSite } from "../services/site-mapper";
import { DEFAULT_UNKNOWN_HOST, type UnknownHost } from "../schemas/settings";
import {
  snapshotSiteSchema,
  type ProxySnapshot,
  type SnapshotAccessList,
  type SnapshotCertificate,
  type SnapshotSite,
  type SnapshotStream,
} from "../schemas/snapshot";

/**
 * A site as stored; the proxy's own status columns play no part in what it serves. Its revision
 * says when it last changed (every save sets it), so an unchanged site need not be read again.
 */
export type SnapshotSiteRow = StoredSite & Pick<SiteRow, "id" | "revision">;

export interface SnapshotCertificateRow {
  id: string;
  domains: string;
  certificatePem: string;
  chainPem: string;
  /** Sealed: the snapshot never opens a key (a worker asks for it when a handshake needs it). */
  privateKeyEnc: string;
  /** Every write moves it: a certificate is read again only when it moved. */
  updatedAt: Date;
}

export interface BuiltSnapshot {
  snapshot: ProxySnapshot;
  /** Sites left out because their stored rows are unusable, with the reason, keyed by site id. */
  siteErrors: Record<string, string>;
  /** Identifies what is served, not when: two revisions with the same content hash the same. */
  hash: string;
}

export interface CertificatesSummary {
  count: number;
  /** The latest write time (ms), 0 when there is none. */
  latest: number;
}

type CachedSite = { revision: number; site: SnapshotSite; digest: string } | { revision: number; error: string };

interface CachedCertificate {
  updatedAt: number;
  certificate: SnapshotCertificate;
  digest: string;
}

const digestOf = (value: unknown): string => createHash("sha256").update(JSON.stringify(value)).digest("base64url");

/**
 * The parts of the snapshot read and parsed so far, kept across builds: a build after a one-site
 * save reads and parses that site alone, and hashes digests rather than the whole snapshot (with
 * 10,000 sites, reading, parsing and hashing everything took about a second).
 *
 * Disabled sites are left out (their hostnames answer 404), only certificates that an enabled site
 * uses are carried, and a site whose rows do not validate is left out alone rather than failing
 * the whole snapshot.
 */
export class SnapshotParts {
  /** The config revision the site rows were last read at (-1: never): rows saved since have a newer one. */
  readRevision = -1;
  /** How many certificates there were and when the last one was written, at the last read of them. */
  certificatesRead: CertificatesSummary | null = null;
  private readonly sites = new Map<string, CachedSite>();
  /** Every site read, disabled ones too. */
  private readonly siteIds = new Set<string>();
  private readonly certificates = new Map<string, CachedCertificate>();

  /** How many sites, disabled ones too, were read and still exist. */
  get siteCount(): number {
    return this.siteIds.size;
  }

  /** Rows saved since the last read (every row, the first time). A row at its cached revision is not parsed again. */
  putSites(rows: readonly SnapshotSiteRow[]): void {
    for (const row of rows) {
      this.siteIds.add(row.id);
      if (!row.enabled) {
        this.sites.delete(row.id);
        continue;
      }
      if (this.sites.get(row.id)?.revision === row.revision) continue;
      const parsed = parseSiteRow(row);
      if (!parsed.success) {
        this.sites.set(row.id, {
          revision: row.revision,
          error: `Stored settings are invalid: ${parsed.error.issues[0]?.message ?? "unknown problem"}`,
        });
        continue;
      }
      const digest = digestOf(parsed.data);
      const earlier = this.sites.get(row.id);
      // Saved but the same (a renewal moves the revision of the sites it serves): the same object, not a change.
      const site = earlier !== undefined && "digest" in earlier && earlier.digest === digest ? earlier.site : parsed.data;
      this.sites.set(row.id, { revision: row.revision, site, digest });
    }
  }

  /** Forgets the sites that no longer exist. */
  keepSites(existing: ReadonlySet<string>): void {
    for (const id of this.siteIds) {
      if (existing.has(id)) continue;
      this.siteIds.delete(id);
      this.sites.delete(id);
    }
  }

  /** Whether a certificate with this write time needs reading. */
  certificateStale(id: string, updatedAt: Date): boolean {
    return this.certificates.get(id)?.updatedAt !== updatedAt.getTime();
  }

  putCertificates(rows: readonly SnapshotCertificateRow[]): void {
    for (const row of rows) {
      const certificate: SnapshotCertificate = {
        id: row.id,
        domains: JSON.parse(row.domains) as string[],
        version: certificateVersion(row.certificatePem, row.chainPem, row.privateKeyEnc),
        fingerprint256: pemFingerprint256(row.certificatePem),
      };
      const digest = digestOf(certificate);
      const earlier = this.certificates.get(row.id);
      // Read again but the same: the same object, so that it does not count as a change.
      this.certificates.set(row.id, {
        updatedAt: row.updatedAt.getTime(),
        certificate: earlier?.digest === digest ? earlier.certificate : certificate,
        digest,
      });
    }
  }

  /** Forgets the certificates that no longer exist. */
  keepCertificates(existing: ReadonlySet<string>): void {
    for (const id of this.certificates.keys()) if (!existing.has(id)) this.certificates.delete(id);
  }

  build(
    revision: number,
    /** Already in snapshot form (lib/config/load-access-lists.ts): only those enabled sites use. */
    accessLists: readonly SnapshotAccessList[],
    /** The global setting (lib/services/settings.ts): peers whose X-Forwarded-* headers are believed. */
    trustedProxies: string[],
    /** The global setting: what the proxy does with a Host no site has. */
    unknownHost: UnknownHost = DEFAULT_UNKNOWN_HOST,
    /** Enabled streams, whole (they are few). */
    streams: readonly SnapshotStream[] = [],
  ): BuiltSnapshot {
    const siteErrors: Record<string, string> = {};
    const parsed: Array<{ site: SnapshotSite; digest: string }> = [];
    for (const [id, cached] of this.sites) {
      if ("error" in cached) siteErrors[id] = cached.error;
      else parsed.push(cached);
    }
    // Sorted, so that neither the snapshot nor its hash depends on the order rows were read in.
    parsed.sort((a, b) => byId(a.site, b.site));
    const used = new Set(parsed.map(({ site }) => site.certificateId));
    const certificates = [...this.certificates.values()].filter(({ certificate }) => used.has(certificate.id));
    certificates.sort((a, b) => byId(a.certificate, b.certificate));
    const sortedAccessLists = [...accessLists].sort(byId);

    const hash = createHash("sha256");
    for (const { digest } of parsed) hash.update(digest);
    hash.update("\0");
    for (const { digest } of certificates) hash.update(digest);
    const sortedStreams = [...streams].sort(byId);
    hash.update(JSON.stringify([sortedAccessLists, sortedStreams, trustedProxies, unknownHost]));
    return {
      snapshot: {
        revision,
        sites: parsed.map(({ site }) => site),
        certificates: certificates.map(({ certificate }) => certificate),
        accessLists: sortedAccessLists,
        streams: sortedStreams,
        trustedProxies,
        unknownHost,
      },
      siteErrors,
      hash: hash.digest("hex"),
    };
  }
}

/** Pure: database rows -> the one value the data plane serves from (see SnapshotParts). */
export function buildSnapshot(
  revision: number,
  siteRows: readonly SnapshotSiteRow[],
  certificateRows: readonly SnapshotCertificateRow[],
  accessLists: readonly SnapshotAccessList[] = [],
  trustedProxies: string[] = [],
  unknownHost: UnknownHost = DEFAULT_UNKNOWN_HOST,
  streams: readonly SnapshotStream[] = [],
): BuiltSnapshot {
  const parts = new SnapshotParts();
  parts.putSites(siteRows);
  parts.putCertificates(certificateRows);
  return parts.build(revision, accessLists, trustedProxies, unknownHost, streams);
}

function parseSiteRow(row: SnapshotSiteRow) {
  // The data plane never needs the dashboard-side checks.
  const { enabled: _enabled, allowLinkLocalUpstreams: _allowLinkLocal, ...site } = siteDataFromRow(row);
  const upstreams = byPosition(row.upstreams).map(({ id, url, weight }) => ({ id, url, weight }));
  return snapshotSiteSchema.safeParse({ ...site, id: row.id, upstreams });
}

// Code-point order: the same everywhere, and much cheaper than localeCompare for 10,000 ids.
function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byPosition<T extends { position: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.position - b.position);
}
