import type tls from "node:tls";
import type { SnapshotCertificate } from "@/lib/schemas/snapshot";
import type { ProxyRuntime, RuntimeSite } from "../runtime/runtime-types";
import type { PresentedCertificate } from "./tls-front";

export type PresentCertificate = (servername: string, version: tls.SecureVersion) => Promise<PresentedCertificate>;

/** Why a certificate's context cannot be built, or null when it can. */
export type CertificateProblem = (certificate: SnapshotCertificate) => string | null | Promise<string | null>;

/**
 * The share of a core the check may take: it runs in a worker beside traffic, and with 10,000
 * sites its handshakes would otherwise keep that core busy for most of a minute.
 */
export const CHECK_SHARE_OF_CORE = 0.25;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The name a check asks for: the site's first exact hostname, or a name under its wildcard. */
function probeName(site: RuntimeSite): string | null {
  const exact = site.hostnames.find((name) => !name.startsWith("*."));
  if (exact !== undefined) return exact;
  const wildcard = site.hostnames[0];
  return wildcard === undefined ? null : `gatekeeper-check.${wildcard.slice(2)}`;
}

function versionsOf(site: RuntimeSite): tls.SecureVersion[] {
  return site.tlsPolicy === "modern" ? ["TLSv1.3"] : ["TLSv1.3", "TLSv1.2"];
}

const VERSION_LABEL: Record<string, string> = { "TLSv1.3": "TLS 1.3", "TLSv1.2": "TLS 1.2" };

export interface CertificateCheckResult {
  /** Sites whose visitors get another certificate (or no handshake at all), with the reason. */
  failed: Record<string, string>;
  /** Sites checked in this run that present their own certificate. */
  passed: string[];
}

/**
 * After each apply, asks the HTTPS port, by real handshakes, which certificate each site's
 * visitors are shown, and reports every site where it is not the site's own: a site must never
 * look fine on the dashboard while browsers get another certificate. A site is checked again only
 * when its certificate, policy or names change, or until it passes.
 */
export class CertificateCheck {
  /** Site id -> what passed (fingerprint, policy, name). */
  private readonly passed = new Map<string, string>();

  constructor(
    private readonly present: PresentCertificate,
    private readonly problemOf: CertificateProblem = () => null,
  ) {}

  /**
   * Checks the sites not checked yet in their current form. Stops once `runtime` is no longer the
   * one served (`isServed`): handshakes then show the new config, not this one, and a run for the
   * new one follows.
   */
  async run(runtime: ProxyRuntime, isServed: () => boolean = () => true): Promise<CertificateCheckResult> {
    const result: CertificateCheckResult = { failed: {}, passed: [] };
    for (const id of this.passed.keys()) if (!runtime.sites.has(id)) this.passed.delete(id);
    for (const site of runtime.sites.values()) {
      if (!isServed()) break;
      const expected = site.certificate?.fingerprint256 ?? null;
      const name = probeName(site);
      // A pass-through site's visitors see its upstream's certificate, which is not the proxy's to check.
      if (expected === null || site.passthrough !== null || name === null || runtime.router.matchHostname(name) !== site) {
        this.passed.delete(site.id);
        continue;
      }
      // The version, not only the fingerprint: a damaged key keeps the certificate's fingerprint.
      const signature = `${site.certificate?.version} ${site.tlsPolicy} ${name}`;
      if (this.passed.get(site.id) === signature) continue;
      const started = performance.now();
      const mismatch = await this.checkSite(name, expected, versionsOf(site));
      if (!isServed()) break;
      await pause((performance.now() - started) * (1 / CHECK_SHARE_OF_CORE - 1));
      // The handshake fell back because the certificate itself cannot be used: that says more.
      const problem = mismatch === null || site.certificate === null ? null : await this.problemOf(site.certificate);
      const error = problem === null ? mismatch : `The certificate for this site cannot be used: ${problem}`;
      if (error === null) {
        this.passed.set(site.id, signature);
        result.passed.push(site.id);
      } else {
        this.passed.delete(site.id);
        result.failed[site.id] = error;
      }
    }
    return result;
  }

  private async checkSite(name: string, expected: string, versions: tls.SecureVersion[]): Promise<string | null> {
    for (const version of versions) {
      let presented: PresentedCertificate;
      try {
        presented = await this.present(name, version);
      } catch (error) {
        // OpenSSL's messages run over several lines of internals; its code says it in one word.
        const code = (error as { code?: unknown }).code;
        const reason = typeof code === "string" ? code : error instanceof Error ? error.message.split("\n")[0]!.trim() : String(error);
        return `HTTPS for ${name} does not work: the ${VERSION_LABEL[version]} handshake failed (${reason}).`;
      }
      if (presented.fingerprint256 !== expected) {
        return (
          `HTTPS visitors of ${name} are shown the certificate for ${presented.names} instead of this site's ` +
          `certificate (${VERSION_LABEL[version]}), so browsers warn them.`
        );
      }
    }
    return null;
  }
}
