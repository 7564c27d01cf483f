import { isIP } from "node:net";
import type { IpRanges } from "./ip-ranges";

/** Who the client is, and how it reached the edge, once trusted proxies are taken into account. */
export interface ForwardedClient {
  ip: string;
  /** The scheme the client used, when a trusted proxy in front says so (X-Forwarded-Proto). */
  scheme: "http" | "https" | null;
}

/** An X-Forwarded-For hop as proxies write it: plain, "[v6]:port" or "v4:port". */
function hopAddress(hop: string): string | null {
  let address = hop.trim();
  if (address.startsWith("[")) address = address.slice(1, address.indexOf("]"));
  if (address.startsWith("::ffff:") && address.includes(".")) address = address.slice(7);
  // "203.0.113.9:5123": one colon after a dotted address is a port (IPv6 has several).
  const colon = address.indexOf(":");
  if (colon > 0 && address.includes(".") && colon === address.lastIndexOf(":")) address = address.slice(0, colon);
  return isIP(address) === 0 ? null : address;
}

/**
 * The real client behind trusted proxies. X-Forwarded-For is read only when the direct peer is
 * trusted, and from the right: each hop was appended by the proxy to its right, so the first
 * address (from the right) that is not itself a trusted proxy is the client. Anything further
 * left was written by that client and is not believed. A hop that is not an address stops the
 * walk at the last address a trusted proxy vouched for.
 */
export function forwardedClient(
  peer: string,
  forwardedFor: string | string[] | undefined,
  forwardedProto: string | string[] | undefined,
  trusted: IpRanges,
): ForwardedClient {
  if (!trusted.has(peer)) return { ip: peer, scheme: null };
  let client = peer;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  if (header !== undefined && header !== "") {
    const hops = header.split(",");
    for (let index = hops.length - 1; index >= 0; index--) {
      const address = hopAddress(hops[index]!);
      if (address === null) break;
      client = address;
      if (!trusted.has(address)) break;
    }
  }
  return { ip: client, scheme: protoOf(forwardedProto) };
}

/** The scheme the nearest trusted proxy saw (the rightmost value). */
function protoOf(header: string | string[] | undefined): "http" | "https" | null {
  const text = Array.isArray(header) ? header.join(",") : header;
  const last = text?.split(",").pop()?.trim().toLowerCase();
  return last === "https" || last === "http" ? last : null;
}
