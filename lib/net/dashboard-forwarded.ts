import type { IncomingMessage } from "node:http";
import { forwardedClient } from "./forwarded-client";
import type { IpRanges } from "./ip-ranges";

/** "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) -> "10.0.0.1". */
function peerAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * Replaces a request's X-Forwarded-For with the one client address worked out from the connection
 * and the trusted proxies, and keeps X-Forwarded-Proto only when a trusted proxy sent it. What the
 * dashboard reads from these headers afterwards is then true.
 */
export function rewriteForwardedHeaders(req: IncomingMessage, trusted: IpRanges): void {
  const client = forwardedClient(peerAddress(req), req.headers["x-forwarded-for"], req.headers["x-forwarded-proto"], trusted);
  req.headers["x-forwarded-for"] = client.ip;
  delete req.headers["x-real-ip"];
  if (client.scheme === null) delete req.headers["x-forwarded-proto"];
  else req.headers["x-forwarded-proto"] = client.scheme;
}
