import type { SnapshotAccessList, SnapshotStream } from "@/lib/schemas/snapshot";
import { compileSocketGroup, type SocketGroup } from "../streams/socket-upstreams";
import { CompiledAccessList } from "../security/access-list";
import type { BasicAuthVerifier } from "../security/basic-auth";
import type { RuntimeStream } from "./runtime-types";
import type { StreamEntry } from "./validate-snapshot";

export interface CompiledStreams {
  streams: Map<string, RuntimeStream>;
  /** By stream id; a stream that had a previous version keeps serving it, and the error says so. */
  errors: Record<string, string>;
}

/**
 * Every stream, each on its own: a broken one is reported against its id and never stops the
 * others (or any site). Streams are few, so all are compiled each time; the load-balancing state
 * carries over where neither the policy nor the upstreams changed (compileSocketGroup).
 */
export function compileStreams(
  entries: ReadonlyMap<string, StreamEntry>,
  accessLists: ReadonlyMap<string, SnapshotAccessList>,
  previous: ReadonlyMap<string, RuntimeStream> | undefined,
  verifier: BasicAuthVerifier,
): CompiledStreams {
  const streams = new Map<string, RuntimeStream>();
  const errors: Record<string, string> = {};
  for (const [id, entry] of entries) {
    const earlier = previous?.get(id);
    const compiled = "error" in entry ? entry.error : compileStream(entry.stream, accessLists, earlier, verifier);
    if (typeof compiled !== "string") {
      streams.set(id, compiled);
      continue;
    }
    errors[id] = earlier ? `${compiled} The stream keeps serving its previous configuration.` : compiled;
    if (earlier) streams.set(id, earlier);
  }
  return { streams, errors };
}

/** A string: why the stream cannot be served. */
export function compileStream(
  stream: SnapshotStream,
  accessLists: ReadonlyMap<string, SnapshotAccessList>,
  previous: RuntimeStream | undefined,
  verifier: BasicAuthVerifier,
): RuntimeStream | string {
  // Address rules only: a stream has no logins (see RuntimeStream.access).
  let access: CompiledAccessList | null = null;
  if (stream.accessListId !== null) {
    const list = accessLists.get(stream.accessListId);
    // Closed, never open: a stream whose list is missing is not served at all.
    if (list === undefined) return "The access list chosen for this stream is missing from the configuration.";
    access = new CompiledAccessList(list, verifier);
  }
  const tcp = stream.protocol === "udp" ? null : groupFor(stream, "tcp", previous?.tcp ?? undefined);
  if (typeof tcp === "string") return tcp;
  const udp = stream.protocol === "tcp" ? null : groupFor(stream, "udp", previous?.udp ?? undefined);
  if (typeof udp === "string") return udp;
  return {
    id: stream.id,
    name: stream.name,
    protocol: stream.protocol,
    listenPort: stream.listenPort,
    tcp,
    udp,
    access,
    idleTimeoutMs: stream.idleTimeoutSeconds * 1000,
    proxyProtocol: stream.proxyProtocol && stream.protocol !== "udp",
  };
}

/**
 * The upstreams one protocol goes to: those of its scheme. A stream serving both whose upstreams
 * are all of one scheme sends the other protocol to the same hosts and ports (DNS on TCP and UDP).
 *
 * UDP does not use the stream's policy: the workers share one UDP socket, and the kernel hands
 * each datagram to whichever worker reads first, so one client's datagrams land on different
 * workers. Each worker picks by the same rendezvous hash of the client's address and port
 * (ip_hash, which has no state and no random seed), so that a client's flow reaches one upstream
 * whichever worker relays it.
 */
function groupFor(stream: SnapshotStream, scheme: "tcp" | "udp", previous: SocketGroup | undefined): SocketGroup | string {
  const own = stream.upstreams.filter((upstream) => upstream.url.startsWith(`${scheme}://`));
  const upstreams = own.length > 0 || stream.protocol !== "both" ? own : stream.upstreams;
  if (upstreams.length === 0) return `The stream has no ${scheme}:// upstream servers.`;
  return compileSocketGroup(upstreams, scheme === "udp" ? "ip_hash" : stream.loadBalancing.policy, previous);
}
