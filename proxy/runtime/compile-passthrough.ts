import { DEFAULT_STREAM_IDLE_SECONDS } from "@/lib/schemas/stream-options";
import type { SnapshotSite } from "@/lib/schemas/snapshot";
import { compileSocketGroup } from "../streams/socket-upstreams";
import type { TcpRoute } from "../streams/tcp-relay";

/**
 * A passed-through connection silent both ways this long is closed: nginx's proxy_timeout, as
 * for streams. Long enough for an idle HTTP/2 or websocket connection the upstream keeps alive.
 */
export const PASSTHROUGH_IDLE_TIMEOUT_MS = DEFAULT_STREAM_IDLE_SECONDS * 1000;

/**
 * What the TLS front relays a pass-through site's connections to: its tcp:// upstreams with its
 * load balancing (the policy's state carried over from `previous` when neither changed). A
 * string: why the upstreams cannot be used.
 */
export function compilePassthrough(site: SnapshotSite, previous: TcpRoute | null | undefined): TcpRoute | string {
  const group = compileSocketGroup(site.upstreams, site.loadBalancing.policy, previous?.group);
  if (typeof group === "string") return group;
  return { id: site.id, group, proxyProtocol: site.proxyProtocol, idleTimeoutMs: PASSTHROUGH_IDLE_TIMEOUT_MS };
}
