import type { IncomingHttpHeaders } from "node:http";
import { applyHeaderEdits, type HeaderEdits } from "../security/header-plan";
import { removeHopByHopHeaders } from "./hop-by-hop-headers";

/** Upstream software and versions are the attacker's shopping list: never pass them on. */
const REVEALING = ["server", "x-powered-by"] as const;

export interface ResponseHeaderOptions {
  /** The site's security and custom headers for this scheme (HSTS included over HTTPS). */
  edits: HeaderEdits;
  /** Whether the client connection stays open after this response; null for HTTP/2, which has no Connection header. */
  keepAlive: boolean | null;
}

/** Rewrites an upstream response's headers, in place, into what the client should see. */
export function prepareClientResponseHeaders(headers: IncomingHttpHeaders, options: ResponseHeaderOptions): void {
  removeHopByHopHeaders(headers);
  delete headers["transfer-encoding"]; // Node frames the response to the client itself
  for (const name of REVEALING) delete headers[name];
  applyHeaderEdits(headers, options.edits);
  // Our own hop: say what Node will actually do with the client connection (the upstream's own
  // word would announce keep-alive even when the client asked to close or we are draining).
  if (options.keepAlive !== null) headers.connection = options.keepAlive ? "keep-alive" : "close";
}

/** For the 101 answer to a websocket upgrade: Upgrade/Connection are the point of it, keep them. */
export function prepareClientUpgradeHeaders(headers: IncomingHttpHeaders): void {
  for (const name of REVEALING) delete headers[name];
}
