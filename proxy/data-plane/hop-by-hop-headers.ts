import type { IncomingHttpHeaders } from "node:http";

/** RFC 9110 7.6.1: headers that describe one connection and must not cross a proxy. */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
  "proxy-authenticate",
  "proxy-authorization",
] as const;

/**
 * Never removed because a client (or upstream) listed them in Connection: dropping the framing
 * headers would desynchronise a kept-alive connection (request smuggling), dropping Host would
 * silently re-target the request.
 */
const PROTECTED = new Set(["host", "content-length", "transfer-encoding"]);

export type HeaderBag = IncomingHttpHeaders | Record<string, string | string[] | number | undefined>;

function namesListedInConnection(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(",") : typeof value === "string" ? value : "";
  return text
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
}

/** Removes hop-by-hop headers (and every header named in Connection) in place, except `keep`. */
export function removeHopByHopHeaders(headers: HeaderBag, keep: ReadonlySet<string> = new Set()): void {
  for (const name of namesListedInConnection(headers.connection)) {
    if (!PROTECTED.has(name) && !keep.has(name)) delete headers[name];
  }
  for (const name of HOP_BY_HOP) {
    if (!keep.has(name)) delete headers[name];
  }
}
