import { db } from "../db";
import { findInParts } from "../db-chunks";
import { SnapshotParts, type BuiltSnapshot } from "./build-snapshot";
import { accessListsForSnapshot } from "./load-access-lists";
import { readTrustedProxies } from "../services/settings";

/**
 * Reads what changed since the last load into `parts` and builds the snapshot. No transaction: one
 * would take the write lock (every transaction here begins IMMEDIATE) and wait behind the
 * dashboard's writes. The revision is read first, and every write bumps it in the same
 * transaction, so the rows are at least that new; a row saved meanwhile is read now and again
 * next time, which is harmless.
 */
export async function loadSnapshot(parts: SnapshotParts = new SnapshotParts()): Promise<BuiltSnapshot> {
  const revision = (await db().configRevision.findUnique({ where: { id: 1 } }))?.revision ?? 0;
  const firstRead = parts.readRevision < 0;
  const [sites, siteIds, certificateStamps, accessLists, trustedProxies] = await Promise.all([
    db().site.findMany({ where: firstRead ? {} : { revision: { gt: parts.readRevision } }, include: { hostnames: true, upstreams: true } }),
    // Deleted sites leave no row behind: the ids tell which are gone.
    firstRead ? null : db().site.findMany({ select: { id: true } }),
    db().certificate.findMany({ select: { id: true, updatedAt: true } }),
    accessListsForSnapshot(db()),
    readTrustedProxies(db()),
  ]);
  parts.putSites(sites);
  if (siteIds !== null) parts.keepSites(new Set(siteIds.map((row) => row.id)));
  parts.readRevision = revision;

  // A site saved with its certificate (a renewal bumps the sites it serves) reads it again too, in
  // case two writes fell in one millisecond of updatedAt.
  const saved = new Set(sites.map((site) => site.certificateId));
  const stale = certificateStamps
    .filter((stamp) => saved.has(stamp.id) || parts.certificateStale(stamp.id, stamp.updatedAt))
    .map((stamp) => stamp.id);
  parts.putCertificates(
    await findInParts(stale, (ids) =>
      db().certificate.findMany({
        where: { id: { in: ids } },
        select: { id: true, domains: true, certificatePem: true, chainPem: true, privateKeyEnc: true, updatedAt: true },
      }),
    ),
  );
  parts.keepCertificates(new Set(certificateStamps.map((stamp) => stamp.id)));
  return parts.build(revision, accessLists, trustedProxies);
}
