import { db } from "../db";
import { buildSnapshot, type BuiltSnapshot, type ParsedSites } from "./build-snapshot";
import { accessListsForSnapshot } from "./load-access-lists";
import { readTrustedProxies } from "../services/settings";

/**
 * Reads the rows and builds the snapshot. No transaction: one would take the write lock (every
 * transaction here begins IMMEDIATE) and wait behind the dashboard's writes. The revision is read
 * first, so the rows are at least that new; a row saved meanwhile is in this snapshot already,
 * and its revision, being newer, makes the next poll load again.
 */
export async function loadSnapshot(parsedSites?: ParsedSites): Promise<BuiltSnapshot> {
  const revision = (await db().configRevision.findUnique({ where: { id: 1 } }))?.revision ?? 0;
  const [sites, certificates, accessLists, trustedProxies] = await Promise.all([
    db().site.findMany({ include: { hostnames: true, upstreams: true } }),
    db().certificate.findMany({
      where: { sites: { some: { enabled: true } } },
      select: { id: true, domains: true, certificatePem: true, chainPem: true, privateKeyEnc: true },
    }),
    accessListsForSnapshot(db()),
    readTrustedProxies(db()),
  ]);
  return buildSnapshot(revision, sites, certificates, accessLists, trustedProxies, parsedSites);
}
