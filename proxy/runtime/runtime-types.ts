import type { ValidatedSnapshot } from "./validate-snapshot";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import type { HostRouter } from "../routing/host-router";
import type { IpRanges } from "@/lib/net/ip-ranges";
import type { SiteProtection } from "../security/site-protection";
import type { TlsPolicy } from "@/lib/schemas/site-security";
import type { SnapshotCertificate } from "@/lib/schemas/snapshot";
import type { SniLookup } from "../tls/sni-lookup";
import type { ErrorPages, Maintenance } from "@/lib/schemas/site-routing";
import type { UnknownHost } from "@/lib/schemas/settings";
import type { SelectionPolicy } from "../upstream/selection-policy";

export interface RuntimeUpstream {
  readonly id: string;
  /** The URL exactly as configured. Live state and health verdicts are keyed by the id. */
  readonly address: string;
  /** Parsed once at compile time; its pathname is the prefix requests are forwarded under. */
  readonly url: URL;
  readonly weight: number;
  /** TLS server name for https upstreams: the URL's host name, or "" for an IP (SNI forbids IPs). */
  readonly tlsServername: string;
}

/** A site ready to serve: everything the request path needs, resolved ahead of time. */
export interface RuntimeSite {
  readonly id: string;
  readonly name: string;
  readonly hostnames: readonly string[];
  readonly upstreams: readonly RuntimeUpstream[];
  readonly loadBalancing: LoadBalancingPolicy;
  readonly policy: SelectionPolicy;
  /** Identifies the policy and the upstream list, so that a reload changing neither keeps the policy's state. */
  readonly policyKey: string;
  /** The site's certificate (its context is built when a handshake first needs it). */
  readonly certificate: SnapshotCertificate | null;
  readonly forceHttps: boolean;
  readonly hsts: boolean;
  readonly websockets: boolean;
  readonly preserveHost: boolean;
  readonly verifyUpstreamTls: boolean;
  /** Passive health: 5xx answers count against an upstream (the site opted in); errors and timeouts always do. */
  readonly passiveHealthCountsServerErrors: boolean;
  readonly protection: SiteProtection;
  readonly tlsPolicy: TlsPolicy;
  readonly maintenance: Maintenance;
  /** The site's own HTML for the answers the proxy makes itself, by status. */
  readonly errorPages: ErrorPages;
  /** The snapshot revision this version of the site was compiled from. */
  readonly revision: number;
}

/** One config generation. Immutable: a reload builds a new one and swaps a single reference. */
export interface ProxyRuntime {
  readonly revision: number;
  readonly sites: ReadonlyMap<string, RuntimeSite>;
  readonly router: HostRouter<RuntimeSite>;
  readonly sni: SniLookup;
  /** Peers whose X-Forwarded-For / X-Forwarded-Proto are believed. */
  readonly trustedProxies: IpRanges;
  /** What to do with a request whose Host no site has. */
  readonly unknownHost: UnknownHost;
  /** What it was compiled from: the next changes apply to it. */
  readonly source: ValidatedSnapshot;
  /** Sites that failed to compile (some serve their previous version): compiled again with the next changes. */
  readonly siteErrors: Readonly<Record<string, string>>;
}
