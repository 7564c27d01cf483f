import type { IncomingMessage } from "node:http";
import type { HeaderEdits } from "../security/header-plan";
import type { ResolvedClient } from "./client-ip";
import { HeaderListBuilder, type HeaderList } from "./header-list";

export type Scheme = "http" | "https";

export interface UpstreamRequestOptions {
  websocket: boolean;
  /** The Host the upstream gets; null keeps the client's. */
  host: string | null;
  /** The site's request header edits. */
  edits: HeaderEdits;
  /** The port the client connected to. */
  localPort: number | undefined;
}

/** What the client sent that the proxy replaces, or that must not reach the upstream at all. */
const NOT_FROM_CLIENT: ReadonlySet<string> = new Set([
  // Node already answered "100 Continue" to the client; the upstream needs no second round.
  "expect",
  // RFC 7239 Forwarded is as spoofable as X-Forwarded-For and some frameworks prefer it.
  "forwarded",
  "x-forwarded-for",
  "x-real-ip",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
]);
/** undici frames a request body itself (chunked when no length is known) and refuses to be told how. */
const NOT_FROM_CLIENT_OVER_UNDICI: ReadonlySet<string> = new Set([...NOT_FROM_CLIENT, "transfer-encoding"]);
const WEBSOCKET_HOP = ["connection", "upgrade", "upgrade", "websocket"];

/**
 * The headers the upstream should see, built from the request's without changing them.
 *
 * The X-Forwarded-* values and X-Real-IP REPLACE whatever the client sent: a client-supplied
 * value is a spoof (a fake client IP for rate limits or audit logs). Only a trusted proxy in
 * front of this one may extend the chain: its X-Forwarded-For gets the peer appended, and its
 * X-Forwarded-Proto is passed on. HTTP/2's pseudo-headers stay with Node.
 */
export function upstreamRequestHeaders(req: IncomingMessage, client: ResolvedClient, scheme: Scheme, options: UpstreamRequestOptions): HeaderList {
  const incoming = req.headers;
  const headers = new HeaderListBuilder(incoming.connection, options.websocket ? NOT_FROM_CLIENT : NOT_FROM_CLIENT_OVER_UNDICI, options.edits);
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || name.charCodeAt(0) === 58 /* ":" */) continue;
    if (name === "host") headers.add(name, options.host ?? value);
    else headers.add(name, value);
  }
  if (incoming.host === undefined && options.host !== null) headers.add("host", options.host);

  if (client.peer !== "") {
    const chain = incoming["x-forwarded-for"];
    headers.addOwn("x-forwarded-for", client.viaTrustedProxy && chain ? `${String(chain)}, ${client.peer}` : client.peer);
    headers.addOwn("x-real-ip", client.ip);
  }
  headers.addOwn("x-forwarded-proto", client.scheme ?? scheme);
  if (incoming.host !== undefined) headers.addOwn("x-forwarded-host", incoming.host);
  if (options.localPort !== undefined) headers.addOwn("x-forwarded-port", String(options.localPort));
  return options.websocket ? headers.finish(...WEBSOCKET_HOP) : headers.finish();
}
