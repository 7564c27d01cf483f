import { db } from "../db";
import { buildSnapshot, type BuiltSnapshot } from "./build-snapshot";
import { accessListsForSnapshot } from "./load-access-lists";
import { readTrustedProxies } from "../services/settings";

/** Reads the rows inside one transaction (a consistent view) and builds the snapshot. */
export async function loadSnapshot(): Promise<BuiltSnapshot> {
  const { revision, sites, certificates, accessLists, trustedProxies } = await db().$transaction(async (tx) => ({
    revision: (await tx.configRevision.findUnique({ where: { id: 1 } }))?.revision ?? 0,
    sites: await tx.site.findMany({ include: { hostnames: true, upstreams: true } }),
    certificates: await tx.certificate.findMany({
      where: { sites: { some: { enabled: true } } },
      select: { id: true, domains: true, certificatePem: true, chainPem: true, privateKeyEnc: true },
    }),
    accessLists: await accessListsForSnapshot(tx),
    trustedProxies: await readTrustedProxies(tx),
  }));
  return buildSnapshot(revision, sites, certificates, accessLists, trustedProxies);
}
