import type tls from "node:tls";
import type { CertificateMaterial, SnapshotCertificate } from "@/lib/schemas/snapshot";
import type { FallbackCertificate } from "../ipc";
import { buildSecureContext, type SecureContextResult } from "./build-secure-context";

/**
 * Secure contexts a worker keeps. One costs about 30 KB and 2-4 ms to build: a worker that built
 * every certificate of 10,000 sites would hold 300 MB and start 30 s late. Handshakes beyond this
 * many recently used certificates build theirs again.
 */
export const TLS_CONTEXT_CACHE_SIZE = 256;

/** Fetches one certificate's PEM text and key (from the primary); rejects with a plain-words reason. */
export type MaterialSource = (id: string) => Promise<CertificateMaterial>;

/**
 * Builds a certificate's SecureContext when a handshake first asks for it, from material fetched
 * then, and keeps the most recently used ones. A version that cannot be built is remembered with
 * its reason (the certificate check reports it); a fetch that failed is tried again next time.
 */
export class CertificateStore {
  /** By certificate version; a Map iterates oldest first, so re-inserting on use keeps it LRU. */
  private readonly built = new Map<string, SecureContextResult>();
  private readonly loading = new Map<string, Promise<SecureContextResult>>();
  /** Why the latest fetch of a version failed (not cached for handshakes: the next one tries again). */
  private readonly fetchFailures = new Map<string, string>();
  private fallback: { key: string; result: SecureContextResult } | null = null;

  constructor(
    private readonly source: MaterialSource,
    private readonly capacity: number = TLS_CONTEXT_CACHE_SIZE,
  ) {}

  /** The certificate's context: at once when built already, else once fetched and built. */
  context(certificate: SnapshotCertificate): SecureContextResult | Promise<SecureContextResult> {
    const key = certificate.version;
    const built = this.built.get(key);
    if (built !== undefined) {
      this.built.delete(key);
      this.built.set(key, built);
      return built;
    }
    let loading = this.loading.get(key);
    if (loading === undefined) {
      loading = this.load(certificate.id).then(({ result, cacheable }) => {
        this.loading.delete(key);
        if (cacheable) this.remember(key, result);
        if (!result.ok && !cacheable) this.fetchFailures.set(key, result.error);
        else this.fetchFailures.delete(key);
        return result;
      });
      this.loading.set(key, loading);
    }
    return loading;
  }

  /** Why this version could not be had or built, if it was tried last and failed. */
  problemOf(certificate: SnapshotCertificate): string | null {
    const built = this.built.get(certificate.version);
    if (built !== undefined) return built.ok ? null : built.error;
    return this.fetchFailures.get(certificate.version) ?? null;
  }

  /** Forgets the versions no longer in use (a renewed or deleted certificate). */
  retainOnly(certificates: readonly SnapshotCertificate[]): void {
    const current = new Set(certificates.map((certificate) => certificate.version));
    for (const key of this.built.keys()) if (!current.has(key)) this.built.delete(key);
    for (const key of this.fetchFailures.keys()) if (!current.has(key)) this.fetchFailures.delete(key);
  }

  /** The context of the certificate served when nothing else matches, rebuilt only when it changes. */
  prepareFallback(certificate: FallbackCertificate): SecureContextResult {
    const key = `${certificate.certificatePem}\0${certificate.privateKeyPem}`;
    if (this.fallback?.key !== key) this.fallback = { key, result: buildSecureContext(certificate) };
    return this.fallback.result;
  }

  /** How many versions are held (for tests and metrics). */
  get size(): number {
    return this.built.size;
  }

  /** A fetch that failed may work next time (the primary was busy); a build that failed will not. */
  private async load(id: string): Promise<{ result: SecureContextResult; cacheable: boolean }> {
    try {
      return { result: buildSecureContext(await this.source(id)), cacheable: true };
    } catch (error) {
      return { result: { ok: false, error: error instanceof Error ? error.message : String(error) }, cacheable: false };
    }
  }

  private remember(key: string, result: SecureContextResult): void {
    this.built.set(key, result);
    while (this.built.size > this.capacity) this.built.delete(this.built.keys().next().value!);
  }
}

/** The context a handshake gets for a certificate: its own when it builds, else the fallback. */
export function contextOrFallback(
  result: SecureContextResult | Promise<SecureContextResult>,
  fallback: tls.SecureContext | undefined,
): tls.SecureContext | undefined | Promise<tls.SecureContext | undefined> {
  const pick = (outcome: SecureContextResult) => (outcome.ok ? outcome.context : fallback);
  return result instanceof Promise ? result.then(pick) : pick(result);
}
