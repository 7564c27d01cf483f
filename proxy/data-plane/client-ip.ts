import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { forwardedClient, type ForwardedClient } from "@/lib/net/forwarded-client";
import type { IpRanges } from "@/lib/net/ip-ranges";

/** The peer's address as people write it: "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) -> "10.0.0.1". */
export function clientAddress(socket: Socket): string | undefined {
  const address = socket.remoteAddress;
  return address === undefined ? undefined : plainAddress(address);
}

/** An address as people write it (see clientAddress); also for UDP senders, which have no socket of their own. */
export function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

export interface ResolvedClient extends ForwardedClient {
  /** The address of the direct peer ("" if unknown): the client itself, or the proxy in front. */
  peer: string;
  /** The direct peer's X-Forwarded-For was believed (it is a trusted proxy). */
  viaTrustedProxy: boolean;
}

/**
 * Works out once per request who the client is: the direct peer, or, when the peer is a trusted
 * proxy, the client it names. It is kept in the request's context, where logs, top-N panels,
 * access rules and rate limits all read it, so they agree.
 */
export function resolveClient(req: IncomingMessage, trusted: IpRanges): ResolvedClient {
  const peer = clientAddress(req.socket) ?? "";
  const viaTrustedProxy = trusted.size > 0 && trusted.has(peer);
  return viaTrustedProxy
    ? { ...forwardedClient(peer, req.headers["x-forwarded-for"], req.headers["x-forwarded-proto"], trusted), peer, viaTrustedProxy }
    : { ip: peer, scheme: null, peer, viaTrustedProxy };
}
