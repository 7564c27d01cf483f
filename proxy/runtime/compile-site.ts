import type { SnapshotAccessList, SnapshotCertificate, SnapshotSite } from "@/lib/schemas/snapshot";
import type { BasicAuthVerifier } from "../security/basic-auth";
import { compileProtection, type LimiterFactory } from "../security/site-protection";
import { compileRoutes } from "./compile-routes";
import { compileUpstreamGroup } from "./compile-upstreams";
import { compilePassthrough } from "./compile-passthrough";
import type { RuntimeSite } from "./runtime-types";
import { compileCompression } from "../compression/compile-compression";
import { compileCache } from "../cache/compile-cache";

export type CompileSiteResult = { ok: true; site: RuntimeSite } | { ok: false; error: string };

export interface CompileSiteInput {
  site: SnapshotSite;
  revision: number;
  /** The site's certificate, or why the snapshot's entry for it is unusable; undefined when the snapshot lacks it. */
  certificate: SnapshotCertificate | { error: string } | undefined;
  /** The same site from the previous generation, to carry over state that is still valid. */
  previous: RuntimeSite | undefined;
  accessLists: ReadonlyMap<string, SnapshotAccessList>;
  verifier: BasicAuthVerifier;
  /** Where the site's rate and connection limiters come from; default: this process alone. */
  limits?: LimiterFactory;
}

/** Compiles one site on its own, so that its mistakes can never affect another site. */
export function compileSite({ site, revision, certificate, previous, accessLists, verifier, limits }: CompileSiteInput): CompileSiteResult {
  let siteCertificate: SnapshotCertificate | null = null;
  if (site.certificateId !== null) {
    if (certificate === undefined) {
      return { ok: false, error: "The certificate chosen for this site is missing from the configuration." };
    }
    if ("error" in certificate) {
      return { ok: false, error: `The certificate for this site cannot be used: ${certificate.error}` };
    }
    siteCertificate = certificate;
  }

  // A redirection host answers every request itself: it needs no upstream.
  if (site.upstreams.length === 0 && site.redirect === null) return { ok: false, error: "The site has no upstream servers." };
  // A pass-through site's upstreams take its TLS connections unread: it has no HTTP upstreams.
  const passthrough = site.tlsMode === "passthrough" ? compilePassthrough(site, previous?.passthrough) : null;
  if (typeof passthrough === "string") return { ok: false, error: passthrough };
  const httpUpstreams = passthrough === null ? site.upstreams : [];
  const group = compileUpstreamGroup(httpUpstreams, site.loadBalancing.policy, site.passiveHealthCountsServerErrors, previous);
  if (typeof group === "string") return { ok: false, error: group };
  const routes = compileRoutes(site, previous);
  if (typeof routes === "string") return { ok: false, error: routes };

  const protection = compileProtection({ site, accessLists, verifier, previous: previous?.protection, limits });
  if (typeof protection === "string") return { ok: false, error: protection };

  return {
    ok: true,
    site: {
      id: site.id,
      name: site.name,
      hostnames: site.hostnames,
      ...group,
      loadBalancing: site.loadBalancing.policy,
      routes,
      redirect: site.redirect,
      certificate: siteCertificate,
      forceHttps: site.forceHttps,
      hsts: site.hsts,
      websockets: site.websockets,
      preserveHost: site.preserveHost,
      verifyUpstreamTls: site.verifyUpstreamTls,
      protection,
      tlsPolicy: site.tlsPolicy,
      maintenance: site.maintenance,
      errorPages: site.errorPages,
      compression: compileCompression(site.compression),
      cache: compileCache(site.cache),
      passthrough,
      revision,
    },
  };
}
