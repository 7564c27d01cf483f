import { HostRouter } from "../routing/host-router";
import type { BasicAuthVerifier } from "../security/basic-auth";
import type { LimiterFactory } from "../security/site-protection";
import { IpRanges } from "@/lib/net/ip-ranges";
import type { SnapshotCertificate } from "@/lib/schemas/snapshot";
import { SniLookup } from "../tls/sni-lookup";
import { compileSite } from "./compile-site";
import { compileStreams } from "./compile-streams";
import type { ProxyRuntime, RuntimeSite } from "./runtime-types";
import { validateChanges, validateSnapshot, type ValidatedSnapshot } from "./validate-snapshot";

export interface CompileSnapshotDependencies {
  /** The generation being replaced; sites that fail to compile keep their version from it. */
  previous: ProxyRuntime | null;
  /** Long-lived: remembers checked basic-auth logins across generations. */
  verifier: BasicAuthVerifier;
  /** Long-lived: where sites' limiters come from (shared by all workers in the proxy). */
  limits?: LimiterFactory;
}

export type CompileSnapshotResult = { ok: true; runtime: ProxyRuntime; siteErrors: Record<string, string> } | { ok: false; error: string };

/** A whole snapshot: every site is compiled. */
export function compileSnapshot(input: unknown, deps: CompileSnapshotDependencies): CompileSnapshotResult {
  const snapshot = validateSnapshot(input);
  if ("error" in snapshot) return { ok: false, error: snapshot.error };
  return compileValidated(snapshot, deps);
}

/**
 * The changes since the snapshot `deps.previous` was compiled from: only the sites they touch
 * (the site itself, its certificate or its access list) are checked and compiled. "stale" when
 * they are not against that snapshot.
 */
export function compileChanges(input: unknown, deps: CompileSnapshotDependencies): CompileSnapshotResult | "stale" {
  if (deps.previous === null) return "stale";
  const snapshot = validateChanges(input, deps.previous.source);
  if (snapshot === "stale") return "stale";
  if ("error" in snapshot) return { ok: false, error: snapshot.error };
  return compileValidated(snapshot, deps);
}

/**
 * Builds a new runtime off to the side; nothing here touches what is serving. Each site compiles
 * independently: a site that fails keeps its previous version (if it had one) and its error is
 * reported by site id, while every other site moves on to the new config. A site whose entry,
 * certificate and access list are the very objects the previous generation compiled is taken
 * over as it is.
 */
function compileValidated(snapshot: ValidatedSnapshot, deps: CompileSnapshotDependencies): CompileSnapshotResult {
  const previousSource = deps.previous?.source;
  const sites = new Map<string, RuntimeSite>();
  const siteErrors: Record<string, string> = {};
  for (const [id, entry] of snapshot.sites) {
    const previous = deps.previous?.sites.get(id);
    if ("error" in entry) {
      fail(id, entry.error, previous);
      continue;
    }
    const { site } = entry;
    const certificate = site.certificateId === null ? undefined : snapshot.certificates.get(site.certificateId);
    const accessList = site.accessListId === null ? undefined : snapshot.accessLists.get(site.accessListId);
    if (
      previous !== undefined &&
      previousSource !== undefined &&
      !(id in deps.previous!.siteErrors) &&
      previousSource.sites.get(id) === entry &&
      (site.certificateId === null || previousSource.certificates.get(site.certificateId) === certificate) &&
      (site.accessListId === null || previousSource.accessLists.get(site.accessListId) === accessList)
    ) {
      sites.set(id, previous);
      continue;
    }
    const result = compileSite({
      site,
      revision: snapshot.revision,
      certificate: certificate !== undefined && "error" in certificate ? { error: `The certificate ${certificate.error}` } : certificate,
      previous,
      accessLists: snapshot.accessLists,
      verifier: deps.verifier,
      limits: deps.limits,
    });
    if (result.ok) sites.set(id, result.site);
    else fail(id, result.error, previous);
  }

  function fail(id: string, error: string, previous: RuntimeSite | undefined): void {
    siteErrors[id] = previous ? `${error} The site keeps serving its previous configuration.` : error;
    if (previous) sites.set(id, previous);
  }

  const streams = compileStreams(snapshot.streams, snapshot.accessLists, deps.previous?.streams, deps.verifier);
  const certificates = [...snapshot.certificates.values()].filter((each): each is SnapshotCertificate => !("error" in each));
  const router = new HostRouter(sites.values());
  return {
    ok: true,
    runtime: {
      revision: snapshot.revision,
      sites,
      router,
      sni: new SniLookup(router, certificates),
      trustedProxies: new IpRanges(snapshot.trustedProxies),
      unknownHost: snapshot.unknownHost,
      source: snapshot,
      siteErrors,
      streams: streams.streams,
      streamErrors: streams.errors,
    },
    siteErrors,
  };
}
