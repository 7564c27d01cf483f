import type { SnapshotCertificate } from "@/lib/schemas/snapshot";
import type { HostRouter } from "../routing/host-router";
import { parseHostHeader } from "../routing/parse-host-header";

export interface TlsSite {
  readonly certificate: SnapshotCertificate | null;
}

/**
 * Picks the certificate for a TLS handshake's server name, for one config generation: the
 * certificate of the site that routes the name, else any certificate whose own domains cover
 * it, else none (the fallback then answers, so the handshake completes and the client sees a clear 404).
 */
export class SniLookup {
  private readonly exact = new Map<string, SnapshotCertificate>();
  private readonly wildcard = new Map<string, SnapshotCertificate>();

  constructor(
    private readonly router: HostRouter<TlsSite & { hostnames: readonly string[] }>,
    certificates: Iterable<SnapshotCertificate>,
  ) {
    for (const certificate of certificates) {
      for (const raw of certificate.domains) {
        const domain = raw.toLowerCase().replace(/\.$/, "");
        const table = domain.startsWith("*.") ? this.wildcard : this.exact;
        const key = domain.startsWith("*.") ? domain.slice(2) : domain;
        if (!table.has(key)) table.set(key, certificate);
      }
    }
  }

  certificateFor(servername: string): SnapshotCertificate | null {
    const name = parseHostHeader(servername);
    if (name === null) return null;
    const site = this.router.matchHostname(name);
    if (site?.certificate) return site.certificate;
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    // A certificate wildcard covers exactly one label (RFC 6125), unlike a site wildcard.
    const dot = name.indexOf(".");
    if (dot !== -1) {
      const covered = this.wildcard.get(name.slice(dot + 1));
      if (covered !== undefined) return covered;
    }
    return null;
  }
}
