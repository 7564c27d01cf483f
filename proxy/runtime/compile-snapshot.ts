import { HostRouter } from "../routing/host-router";
import type { BasicAuthVerifier } from "../security/basic-auth";
import type { LimiterFactory } from "../security/site-protection";
import { IpRanges } from "../../lib/net/ip-ranges";
import type { SnapshotCertificate } from "../../lib/schemas/snapshot";
import { SniLookup } from "../tls/sni-lookup";
import { compileSite } from "./compile-site";
import type { ProxyRuntime, RuntimeSite } from "./runtime-types";
import { validateSnapshot } from "./validate-snapshot";

export interface CompileSnapshotDependencies {
  /** The generation being replaced; sites that fail to compile keep their version from it. */
  previous: ProxyRuntime | null;
  /** Long-lived: remembers checked basic-auth logins across generations. */
  verifier: BasicAuthVerifier;
  /** Long-lived: where sites' limiters come from (shared by all workers in the proxy). */
  limits?: LimiterFactory;
}

export type CompileSnapshotResult =
  | { ok: true; runtime: ProxyRuntime; siteErrors: Record<string, string> }
  | { ok: false; error: string };

/**
 * Builds a new runtime off to the side; nothing here touches what is serving. Each site compiles
 * independently: a site that fails keeps its previous version (if it had one) and its error is
 * reported by site id, while every other site moves on to the new config.
 */
export function compileSnapshot(input: unknown, deps: CompileSnapshotDependencies): CompileSnapshotResult {
  const snapshot = validateSnapshot(input);
  if ("error" in snapshot) return { ok: false, error: snapshot.error };

  const certificates = new Map<string, SnapshotCertificate | { error: string }>(snapshot.certificates.map((certificate) => [certificate.id, certificate]));
  for (const [id, reason] of snapshot.invalidCertificates) {
    if (!certificates.has(id)) certificates.set(id, { error: `The certificate ${reason}` });
  }

  const accessLists = new Map(snapshot.accessLists.map((list) => [list.id, list]));
  const sites = new Map<string, RuntimeSite>();
  const siteErrors: Record<string, string> = {};
  for (const entry of snapshot.sites) {
    if (sites.has(entry.id) || entry.id in siteErrors) continue; // a duplicated id: the first entry wins
    const previous = deps.previous?.sites.get(entry.id);
    const result =
      "site" in entry
        ? compileSite({
            site: entry.site,
            revision: snapshot.revision,
            certificate: entry.site.certificateId === null ? undefined : certificates.get(entry.site.certificateId),
            previous,
            accessLists,
            verifier: deps.verifier,
            limits: deps.limits,
          })
        : { ok: false as const, error: entry.error };
    if (result.ok) {
      sites.set(entry.id, result.site);
    } else {
      siteErrors[entry.id] = previous
        ? `${result.error} The site keeps serving its previous configuration.`
        : result.error;
      if (previous) sites.set(entry.id, previous);
    }
  }

  const router = new HostRouter(sites.values());
  return {
    ok: true,
    runtime: {
      revision: snapshot.revision,
      sites,
      router,
      sni: new SniLookup(router, snapshot.certificates),
      trustedProxies: new IpRanges(snapshot.trustedProxies),
    },
    siteErrors,
  };
}
