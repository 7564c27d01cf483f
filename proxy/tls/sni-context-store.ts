import { createHash } from "node:crypto";
import type tls from "node:tls";
import type { SnapshotCertificate } from "../../lib/schemas/snapshot";
import type { FallbackCertificate } from "../ipc";
import type { HostRouter } from "../routing/host-router";
import { parseHostHeader } from "../routing/parse-host-header";
import { buildSecureContext, type CertificatePems, type SecureContextResult } from "./build-secure-context";

function pemHash(pems: CertificatePems): string {
  return createHash("sha256")
    .update(pems.certificatePem)
    .update("\0")
    .update(pems.chainPem ?? "")
    .update("\0")
    .update(pems.privateKeyPem)
    .digest("hex");
}

/**
 * Owns the SecureContexts across config reloads. Building a context parses PEM and loads keys
 * (milliseconds each), so it happens once per distinct certificate content, never per reload of
 * an unchanged certificate and never per handshake. Failures are cached too, so re-applying the
 * same broken certificate stays cheap.
 */
export class SniContextStore {
  private byHash = new Map<string, SecureContextResult>();
  private fallback: { hash: string; result: SecureContextResult } | null = null;

  /** Contexts for one snapshot's certificates, by certificate id. Forgets content no longer used. */
  prepare(certificates: readonly SnapshotCertificate[]): Map<string, SecureContextResult> {
    const next = new Map<string, SecureContextResult>();
    const byId = new Map<string, SecureContextResult>();
    for (const certificate of certificates) {
      const hash = pemHash(certificate);
      const result = next.get(hash) ?? this.byHash.get(hash) ?? buildSecureContext(certificate);
      next.set(hash, result);
      byId.set(certificate.id, result);
    }
    this.byHash = next;
    return byId;
  }

  /** The context of the certificate served when nothing else matches. */
  prepareFallback(certificate: FallbackCertificate): SecureContextResult {
    const hash = pemHash(certificate);
    if (this.fallback?.hash !== hash) {
      this.fallback = { hash, result: buildSecureContext(certificate) };
    }
    return this.fallback.result;
  }

  /** How many distinct certificate contents are held (for tests and metrics). */
  get size(): number {
    return this.byHash.size;
  }
}

export interface TlsSite {
  readonly secureContext: tls.SecureContext | null;
}

export interface LoadedCertificate {
  readonly domains: readonly string[];
  readonly context: tls.SecureContext;
}

/**
 * Picks the context for a TLS handshake's server name, for one config generation: the
 * certificate of the site that routes the name, else any certificate whose own domains cover
 * it, else the fallback (so the handshake still completes and the client sees a clear 404).
 */
export class SniLookup {
  private readonly exact = new Map<string, tls.SecureContext>();
  private readonly wildcard = new Map<string, tls.SecureContext>();

  constructor(
    private readonly router: HostRouter<TlsSite & { hostnames: readonly string[] }>,
    certificates: Iterable<LoadedCertificate>,
    private readonly fallback: tls.SecureContext | undefined,
  ) {
    for (const certificate of certificates) {
      for (const raw of certificate.domains) {
        const domain = raw.toLowerCase().replace(/\.$/, "");
        const table = domain.startsWith("*.") ? this.wildcard : this.exact;
        const key = domain.startsWith("*.") ? domain.slice(2) : domain;
        if (!table.has(key)) table.set(key, certificate.context);
      }
    }
  }

  /** undefined only when no fallback is known yet: the server's default context then answers. */
  contextFor(servername: string): tls.SecureContext | undefined {
    const name = parseHostHeader(servername);
    if (name === null) return this.fallback;
    const site = this.router.matchHostname(name);
    if (site?.secureContext) return site.secureContext;
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    // A certificate wildcard covers exactly one label (RFC 6125), unlike a site wildcard.
    const dot = name.indexOf(".");
    if (dot !== -1) {
      const covered = this.wildcard.get(name.slice(dot + 1));
      if (covered !== undefined) return covered;
    }
    return this.fallback;
  }
}
