import type { ProxySnapshot, SnapshotChanges } from "../schemas/snapshot";

/**
 * What a worker serving `previous` needs to serve `next`. A site or certificate counts as
 * unchanged when it is the same object in both: SnapshotParts keeps what it did not read again.
 */
export function snapshotChanges(previous: ProxySnapshot, next: ProxySnapshot): SnapshotChanges {
  const changedAndRemoved = <T extends { id: string }>(before: readonly T[], after: readonly T[]) => {
    const earlier = new Map(before.map((each) => [each.id, each]));
    const present = new Set(after.map((each) => each.id));
    return {
      changed: after.filter((each) => earlier.get(each.id) !== each),
      removed: before.filter((each) => !present.has(each.id)).map((each) => each.id),
    };
  };
  const sites = changedAndRemoved(previous.sites, next.sites);
  const certificates = changedAndRemoved(previous.certificates, next.certificates);
  return {
    base: previous.revision,
    revision: next.revision,
    sites: sites.changed,
    removedSites: sites.removed,
    certificates: certificates.changed,
    removedCertificates: certificates.removed,
    accessLists: next.accessLists,
    streams: next.streams,
    trustedProxies: next.trustedProxies,
    unknownHost: next.unknownHost,
  };
}
