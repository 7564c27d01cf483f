import { db } from "../db";
import { findInParts } from "../db-chunks";
import { SnapshotParts, type BuiltSnapshot, type CertificatesSummary } from "./build-snapshot";
import { accessListsForSnapshot } from "./load-access-lists";
import { streamsForSnapshot } from "./load-streams";
import { readTrustedProxies, readUnknownHost } from "../services/settings";

/**
 * Reads what changed since the last load into `parts` and builds the snapshot. No transaction: one
 * would take the write lock (every transaction here begins IMMEDIATE) and wait behind the
 * dashboard's writes. The revision is read first, and every write bumps it in the same
 * transaction, so the rows are at least that new; a row saved meanwhile is read now and again
 * next time, which is harmless. A one-site change reads that site and a few counts, however many
 * sites there are.
 */
export async function loadSnapshot(parts: SnapshotParts = new SnapshotParts()): Promise<BuiltSnapshot> {
  const revision = (await db().configRevision.findUnique({ where: { id: 1 } }))?.revision ?? 0;
  const firstRead = parts.readRevision < 0;
  const [sites, siteCount, certificates, accessLists, trustedProxies, unknownHost, streams] = await Promise.all([
    db().site.findMany({ where: firstRead ? {} : { revision: { gt: parts.readRevision } }, include: { hostnames: true, upstreams: true } }),
    db().site.count(),
    db().certificate.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    accessListsForSnapshot(db()),
    readTrustedProxies(db()),
    readUnknownHost(db()),
    streamsForSnapshot(db()),
  ]);
  parts.putSites(sites);
  // Every site that exists was read once (saving it moved the revision past the last read), so
  // fewer sites than were read means some were deleted: then the ids tell which.
  if (siteCount < parts.siteCount) parts.keepSites(new Set((await db().site.findMany({ select: { id: true } })).map((row) => row.id)));
  parts.readRevision = revision;

  // A site saved with its certificate (a renewal bumps the sites it serves) reads it again too, in
  // case two writes fell in one millisecond of updatedAt.
  const saved = new Set(sites.flatMap((site) => (site.certificateId === null ? [] : [site.certificateId])));
  const summary = { count: certificates._count._all, latest: certificates._max.updatedAt?.getTime() ?? 0 };
  const stale = sameSummary(parts.certificatesRead, summary) ? [...saved] : await changedCertificates(parts, saved);
  parts.putCertificates(
    await findInParts(stale, (ids) =>
      db().certificate.findMany({
        where: { id: { in: ids } },
        select: { id: true, domains: true, certificatePem: true, chainPem: true, privateKeyEnc: true, updatedAt: true },
      }),
    ),
  );
  parts.certificatesRead = summary;
  return parts.build(revision, accessLists, trustedProxies, unknownHost, streams);
}

function sameSummary(read: CertificatesSummary | null, now: CertificatesSummary): boolean {
  return read !== null && read.count === now.count && read.latest === now.latest;
}

/** Some certificate was written, added or deleted: which ones, by their write times. */
async function changedCertificates(parts: SnapshotParts, saved: ReadonlySet<string>): Promise<string[]> {
  const stamps = await db().certificate.findMany({ select: { id: true, updatedAt: true } });
  parts.keepCertificates(new Set(stamps.map((stamp) => stamp.id)));
  return stamps.filter((stamp) => saved.has(stamp.id) || parts.certificateStale(stamp.id, stamp.updatedAt)).map((stamp) => stamp.id);
}
