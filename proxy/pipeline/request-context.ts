import type { IncomingMessage } from "node:http";
import type { ResolvedClient } from "../data-plane/client-ip";
import type { Scheme } from "../data-plane/forwarded-headers";
import type { RequestBody } from "../data-plane/request-body";
import type { ProxyRuntime, RuntimeRoute, RuntimeSite, UpstreamGroup } from "../runtime/runtime-types";
import type { ByteCount } from "../traffic/byte-count";
import type { CodedBytes } from "../forwarding/body-writer";
import type { CacheOutcome } from "../cache/cache-outcome";
import type { Reply } from "./reply";

/** What the pipeline serves: an HTTP request (HTTP/1.1 or an HTTP/2 stream) or a websocket upgrade. */
export type RequestKind = "request" | "upgrade";

/**
 * Everything known about one request as it goes through the stages: the one place per-request
 * state lives. Stages fill it in order; the final stage and the counters read it.
 */
export interface RequestContext {
  readonly kind: RequestKind;
  readonly scheme: Scheme;
  readonly req: IncomingMessage;
  /** How the proxy answers the client itself (error pages, redirects, refusals). */
  readonly reply: Reply;
  /** The client connection's bytes not yet counted: this request's, once it is done. */
  readonly bytes: ByteCount;
  /** For an upgrade: what the client sent after its request head (the first frames). */
  readonly upgradeHead: Buffer | null;
  /** performance.now() when the request was routed: the start of its latency. */
  readonly startedAt: number;
  /** Read once, first: the request finishes on this generation whatever reloads happen. */
  readonly runtime: ProxyRuntime | null;
  /** The port the client connected to (the upstream learns it as X-Forwarded-Port). */
  readonly localPort: number | undefined;
  /** The site its Host names, once routed. */
  site: RuntimeSite | null;
  /** Where it is forwarded, once routed within its site: the upstreams of the route that took it, or the site's. */
  upstreams: UpstreamGroup | null;
  /** The target ("/path?query") sent upstream, once routed: the route's rewrite of the client's. */
  target: string;
  /** The route that took it, if one did (explain says which). */
  route: RuntimeRoute | null;
  /** Who the client is (the peer, or the client a trusted proxy names). */
  client: ResolvedClient;
  /** The protection that refused it ("rate-limit", "access-list", "exploit:<rule>"), for the log. */
  blockedBy: string | null;
  /** The body on its way, paced (and its head inspected); null for a request without one. */
  body: RequestBody | null;
  /** The answer's bytes before and after compression, when the proxy compressed it. */
  coded: CodedBytes | null;
  /** What the site's cache did for it; null when the site has no cache or the request never reached it. */
  cache: CacheOutcome | null;
}
