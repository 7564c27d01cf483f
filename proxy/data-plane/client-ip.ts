import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { forwardedClient, type ForwardedClient } from "../../lib/net/forwarded-client";
import type { IpRanges } from "../../lib/net/ip-ranges";

/** The peer's address as people write it: "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) -> "10.0.0.1". */
export function clientAddress(socket: Socket): string | undefined {
  const address = socket.remoteAddress;
  if (address === undefined) return undefined;
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

const kClient = Symbol("gatekeeper.client");

interface ResolvedRequest extends IncomingMessage {
  [kClient]?: ResolvedClient;
}

export interface ResolvedClient extends ForwardedClient {
  /** The direct peer's X-Forwarded-For was believed (it is a trusted proxy). */
  viaTrustedProxy: boolean;
}

/**
 * Works out once per request who the client is: the direct peer, or, when the peer is a trusted
 * proxy, the client it names. Logs, top-N panels, access rules and rate limits all read it back
 * with requestClientIp(), so they agree.
 */
export function resolveClient(req: IncomingMessage, trusted: IpRanges): ResolvedClient {
  const peer = clientAddress(req.socket) ?? "";
  const viaTrustedProxy = trusted.size > 0 && trusted.has(peer);
  const client: ResolvedClient = viaTrustedProxy
    ? { ...forwardedClient(peer, req.headers["x-forwarded-for"], req.headers["x-forwarded-proto"], trusted), viaTrustedProxy }
    : { ip: peer, scheme: null, viaTrustedProxy };
  (req as ResolvedRequest)[kClient] = client;
  return client;
}

/** The request's client as resolveClient() saw it; the direct peer for requests not resolved. */
export function requestClient(req: IncomingMessage): ResolvedClient {
  return (req as ResolvedRequest)[kClient] ?? { ip: clientAddress(req.socket) ?? "", scheme: null, viaTrustedProxy: false };
}

export function requestClientIp(req: IncomingMessage): string {
  return requestClient(req).ip;
}
