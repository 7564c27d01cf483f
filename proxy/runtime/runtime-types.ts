import type { ValidatedSnapshot } from "./validate-snapshot";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import type { HostRouter } from "../routing/host-router";
import type { IpRanges } from "@/lib/net/ip-ranges";
import type { SiteProtection } from "../security/site-protection";
import type { TlsPolicy } from "@/lib/schemas/site-security";
import type { SnapshotCertificate } from "@/lib/schemas/snapshot";
import type { Redirect } from "@/lib/schemas/site-routing";
import type { SniLookup } from "../tls/sni-lookup";
import type { ErrorPages, Maintenance } from "@/lib/schemas/site-routing";
import type { UnknownHost } from "@/lib/schemas/settings";
import type { SelectionPolicy } from "../upstream/selection-policy";
import type { RuntimeCompression } from "../compression/compression-plan";
import type { RuntimeCache } from "../cache/compile-cache";
import type { SocketGroup } from "../streams/socket-upstreams";
import type { CompiledAccessList } from "../security/access-list";
import type { StreamProtocol } from "@/lib/schemas/stream-options";
import type { TcpRoute } from "../streams/tcp-relay";

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

/**
 * Upstreams a request may be sent to, and how one is chosen: a site's own, or one route's (with
 * the site's load balancing and passive-health choice). What UpstreamPool needs to pick and judge.
 */
export interface UpstreamGroup {
  readonly upstreams: readonly RuntimeUpstream[];
  readonly policy: SelectionPolicy;
  /** Identifies the policy and the upstream list, so that a reload changing neither keeps the policy's state. */
  readonly policyKey: string;
  /** Passive health: 5xx answers count against an upstream (the site opted in); errors and timeouts always do. */
  readonly passiveHealthCountsServerErrors: boolean;
}

/** What a route does with the requests it takes. */
export type RouteAction =
  | { readonly kind: "upstreams"; readonly group: UpstreamGroup }
  | { readonly kind: "redirect"; readonly redirect: Redirect }
  | { readonly kind: "respond"; readonly status: number; readonly contentType: string; readonly body: Buffer };

export interface RuntimeRoute {
  readonly id: string;
  /** Normalised as stored: no trailing slash except "/". */
  readonly pathPrefix: string;
  /** [lower-case name, exact value], all required (the snapshot's schema lower-cases the names). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly stripPrefix: boolean;
  readonly addPrefix: string;
  readonly action: RouteAction;
}

/** A site ready to serve: everything the request path needs, resolved ahead of time. */
export interface RuntimeSite extends UpstreamGroup {
  readonly id: string;
  readonly name: string;
  readonly hostnames: readonly string[];
  /** Empty only for a redirection host and a pass-through site. */
  readonly upstreams: readonly RuntimeUpstream[];
  readonly loadBalancing: LoadBalancingPolicy;
  /** In the order they are tried (lib/routing/route-path.ts inTryOrder); a request none takes goes to the site's upstreams. */
  readonly routes: readonly RuntimeRoute[];
  /** A redirection host: every request is answered with this redirect. */
  readonly redirect: Redirect | null;
  /** The site's certificate (its context is built when a handshake first needs it). */
  readonly certificate: SnapshotCertificate | null;
  readonly forceHttps: boolean;
  readonly hsts: boolean;
  readonly websockets: boolean;
  readonly preserveHost: boolean;
  readonly verifyUpstreamTls: boolean;
  readonly protection: SiteProtection;
  readonly tlsPolicy: TlsPolicy;
  readonly maintenance: Maintenance;
  /** The site's own HTML for the answers the proxy makes itself, by status. */
  readonly errorPages: ErrorPages;
  /** How its answers are compressed; null: they are not. */
  readonly compression: RuntimeCompression | null;
  /** Its shared cache; null: answers are not kept. */
  readonly cache: RuntimeCache | null;
  /**
   * A pass-through site: the HTTPS port relays connections whose server name is the site's to
   * these upstreams without decrypting them. null: the proxy terminates the site's TLS.
   */
  readonly passthrough: TcpRoute | null;
  /** The snapshot revision this version of the site was compiled from. */
  readonly revision: number;
}

/** A stream ready to serve: a TCP and/or UDP port forwarded to upstreams (its id also names its TcpRoute). */
export interface RuntimeStream {
  readonly id: string;
  readonly name: string;
  readonly protocol: StreamProtocol;
  readonly listenPort: number;
  /** Where TCP connections go, picked by the stream's policy; null for a UDP-only stream. */
  readonly tcp: SocketGroup | null;
  /** Where UDP sessions go, picked by a hash of the client's address (see compile-streams.ts); null for a TCP-only stream. */
  readonly udp: SocketGroup | null;
  /**
   * Judged by its address rules only (admitsWithoutLogin): raw TCP and UDP have no place for a
   * username and password, so a client the list would ask to log in is refused. Null: everyone may connect.
   */
  readonly access: CompiledAccessList | null;
  readonly idleTimeoutMs: number;
  /** TCP only: each upstream connection starts with a PROXY protocol v2 header. */
  readonly proxyProtocol: boolean;
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
  /** By id; a stream that failed to compile keeps its previous version here, if it had one. */
  readonly streams: ReadonlyMap<string, RuntimeStream>;
  /** Streams that failed to compile, by id (ports that could not be opened are the stream listeners' to tell). */
  readonly streamErrors: Readonly<Record<string, string>>;
}
