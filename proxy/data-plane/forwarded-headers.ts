import type { IncomingMessage } from "node:http";
import { clientAddress, type ResolvedClient } from "./client-ip";
import { removeHopByHopHeaders } from "./hop-by-hop-headers";

export type Scheme = "http" | "https";

const KEEP_FOR_WEBSOCKET = new Set(["connection", "upgrade"]);

/**
 * Rewrites the request's headers, in place, into what the upstream should see.
 *
 * The X-Forwarded-* values and X-Real-IP REPLACE whatever the client sent: a client-supplied
 * value is a spoof (a fake client IP for rate limits or audit logs). Only a trusted proxy in
 * front of this one may extend the chain: its X-Forwarded-For gets the peer appended, and its
 * X-Forwarded-Proto is passed on.
 */
export function prepareUpstreamRequestHeaders(req: IncomingMessage, client: ResolvedClient, scheme: Scheme, websocket: boolean): void {
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

  const peer = clientAddress(req.socket);
  const chain = headers["x-forwarded-for"];
  if (peer === undefined) {
    delete headers["x-forwarded-for"];
    delete headers["x-real-ip"];
  } else {
    headers["x-forwarded-for"] = client.viaTrustedProxy && chain ? `${String(chain)}, ${peer}` : peer;
    headers["x-real-ip"] = client.ip;
  }
  headers["x-forwarded-proto"] = client.scheme ?? scheme;
  if (originalHost !== undefined) headers["x-forwarded-host"] = originalHost;
  else delete headers["x-forwarded-host"];
  if (req.socket.localPort !== undefined) headers["x-forwarded-port"] = String(req.socket.localPort);
  else delete headers["x-forwarded-port"];
}
