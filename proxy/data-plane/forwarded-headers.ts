import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { removeHopByHopHeaders } from "./hop-by-hop-headers";

export type Scheme = "http" | "https";

const KEEP_FOR_WEBSOCKET = new Set(["connection", "upgrade"]);

/** The peer's address as people write it: "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) -> "10.0.0.1". */
export function clientAddress(socket: Socket): string | undefined {
  const address = socket.remoteAddress;
  if (address === undefined) return undefined;
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * Rewrites the request's headers, in place, into what the upstream should see. http-proxy copies
 * req.headers when it builds the upstream request, and changing them here (rather than in its
 * proxyReq event) is the only point where every header is still mutable.
 *
 * The X-Forwarded-* values and X-Real-IP REPLACE whatever the client sent: this proxy is the
 * edge, so a client-supplied value is a spoof (a fake client IP for rate limits or audit logs).
 */
export function prepareUpstreamRequestHeaders(req: IncomingMessage, scheme: Scheme, websocket: boolean): void {
  const headers = req.headers;
  const originalHost = headers.host;

  removeHopByHopHeaders(headers, websocket ? KEEP_FOR_WEBSOCKET : undefined);
  if (websocket) {
    headers.connection = "upgrade";
    headers.upgrade = "websocket";
  }
  // Node already answered "100 Continue" to the client; the upstream needs no second round.
  delete headers.expect;
  // RFC 7239 Forwarded is as spoofable as X-Forwarded-For and some frameworks prefer it.
  delete headers.forwarded;

  const address = clientAddress(req.socket);
  if (address !== undefined) {
    headers["x-forwarded-for"] = address;
    headers["x-real-ip"] = address;
  } else {
    delete headers["x-forwarded-for"];
    delete headers["x-real-ip"];
  }
  headers["x-forwarded-proto"] = scheme;
  if (originalHost !== undefined) headers["x-forwarded-host"] = originalHost;
  else delete headers["x-forwarded-host"];
  if (req.socket.localPort !== undefined) headers["x-forwarded-port"] = String(req.socket.localPort);
  else delete headers["x-forwarded-port"];
}
