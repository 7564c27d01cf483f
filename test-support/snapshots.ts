import { certificateVersion, pemFingerprint256 } from "../lib/certs/fingerprint";
import {
  snapshotSiteSchema,
  type CertificateMaterial,
  type ProxySnapshot,
  type SnapshotAccessList,
  type SnapshotStream,
  type SnapshotCertificate,
  type SnapshotSite,
  type SnapshotUpstream,
} from "../lib/schemas/snapshot";
import type { TestCertificate } from "./certs";
import { DEFAULT_UNKNOWN_HOST, type UnknownHost } from "../lib/schemas/settings";

export interface TestSiteInput extends Partial<Omit<SnapshotSite, "upstreams">> {
  id: string;
  hostnames: string[];
  /** URLs (weight 1, ids derived) or full upstream objects. */
  upstreams: Array<string | SnapshotUpstream>;
}

/** A fresh dashboard site's, less the protections switched on for new sites (the proxy's tests opt in). */
const SITE_DEFAULTS = snapshotSiteSchema.parse({ id: "-", name: "-", hostnames: ["-"], upstreams: [], blockExploits: false, securityHeaders: null });

/** A snapshot site with the defaults a fresh dashboard site would have. */
export function testSite(input: TestSiteInput): SnapshotSite {
  const { upstreams, ...rest } = input;
  return {
    ...SITE_DEFAULTS,
    name: input.id,
    ...rest,
    upstreams: upstreams.map((upstream, index) =>
      typeof upstream === "string" ? { id: `${input.id}-u${index}`, url: upstream, weight: 1 } : upstream,
    ),
  };
}

/** What testCertificate() made, by id: the material a data plane asks for (the primary's part in a worker). */
const materials = new Map<string, CertificateMaterial>();

/** A snapshot certificate for a test certificate (whose material testCertificateMaterial() then serves). */
export function testCertificate(id: string, certificate: TestCertificate): SnapshotCertificate {
  const version = certificateVersion(certificate.certificatePem, certificate.chainPem, certificate.privateKeyPem);
  materials.set(id, {
    id,
    version,
    certificatePem: certificate.certificatePem,
    chainPem: certificate.chainPem,
    privateKeyPem: certificate.privateKeyPem,
  });
  return { id, domains: certificate.domains, version, fingerprint256: pemFingerprint256(certificate.certificatePem) };
}

export async function testCertificateMaterial(id: string): Promise<CertificateMaterial> {
  const material = materials.get(id);
  if (material === undefined) throw new Error(`The certificate ${id} no longer exists.`);
  return material;
}

export function testSnapshot(
  revision: number,
  sites: SnapshotSite[],
  certificates: SnapshotCertificate[] = [],
  extra: { accessLists?: SnapshotAccessList[]; streams?: SnapshotStream[]; trustedProxies?: string[]; unknownHost?: UnknownHost } = {},
): ProxySnapshot {
  return {
    revision,
    sites,
    certificates,
    accessLists: extra.accessLists ?? [],
    streams: extra.streams ?? [],
    trustedProxies: extra.trustedProxies ?? [],
    unknownHost: extra.unknownHost ?? DEFAULT_UNKNOWN_HOST,
  };
}
