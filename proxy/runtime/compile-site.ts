import { isIP } from "node:net";
import type { SnapshotAccessList, SnapshotCertificate, SnapshotSite } from "@/lib/schemas/snapshot";
import type { BasicAuthVerifier } from "../security/basic-auth";
import { compileProtection, type LimiterFactory } from "../security/site-protection";
import { createSelectionPolicy } from "../upstream/selection-policy";
import type { RuntimeSite, RuntimeUpstream } from "./runtime-types";

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

function compileUpstream(upstream: SnapshotSite["upstreams"][number]): RuntimeUpstream | string {
  let url: URL;
  try {
    url = new URL(upstream.url);
  } catch {
    return `The upstream address "${upstream.url}" is not a valid URL.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `The upstream address "${upstream.url}" must start with http:// or https://.`;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return {
    id: upstream.id,
    address: upstream.url,
    url,
    weight: upstream.weight,
    tlsServername: isIP(host) === 0 ? host : "",
  };
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

  const upstreams: RuntimeUpstream[] = [];
  for (const upstream of site.upstreams) {
    const compiled = compileUpstream(upstream);
    if (typeof compiled === "string") return { ok: false, error: compiled };
    upstreams.push(compiled);
  }
  if (upstreams.length === 0) return { ok: false, error: "The site has no upstream servers." };

  const protection = compileProtection({ site, accessLists, verifier, previous: previous?.protection, limits });
  if (typeof protection === "string") return { ok: false, error: protection };

  const loadBalancing = site.loadBalancing.policy;
  const policyKey = JSON.stringify([loadBalancing, site.upstreams.map((u) => [u.id, u.url, u.weight])]);
  const policy = previous !== undefined && previous.policyKey === policyKey ? previous.policy : createSelectionPolicy(loadBalancing);

  return {
    ok: true,
    site: {
      id: site.id,
      name: site.name,
      hostnames: site.hostnames,
      upstreams,
      loadBalancing,
      policy,
      policyKey,
      certificate: siteCertificate,
      forceHttps: site.forceHttps,
      hsts: site.hsts,
      websockets: site.websockets,
      preserveHost: site.preserveHost,
      verifyUpstreamTls: site.verifyUpstreamTls,
      passiveHealthCountsServerErrors: site.passiveHealthCountsServerErrors,
      protection,
      tlsPolicy: site.tlsPolicy,
      maintenance: site.maintenance,
      errorPages: site.errorPages,
      revision,
    },
  };
}
