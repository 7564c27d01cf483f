import type { IncomingHttpHeaders } from "node:http";
import type { CompressionCoding } from "@/lib/schemas/site-compression";
import { chooseCoding } from "../compression/accept-encoding";

/**
 * Where a stored answer is found: the scheme the client used, the host (lower-case, without a
 * port) and the target as the client sent it. One site's hostnames may serve different pages, and
 * an upstream may answer plain HTTP with a redirect to HTTPS: kept for HTTPS too, that would loop.
 */
export function primaryKey(scheme: string, host: string, target: string): string {
  const colon = host.lastIndexOf(":");
  const bare = colon > host.lastIndexOf("]") ? host.slice(0, colon) : host;
  return `${scheme}://${bare.toLowerCase()}${target}`;
}

/**
 * The variant of a stored answer a request gets (RFC 9111 §4.1): the values of the request
 * headers its Vary names, each list normalised so that equivalent requests share a variant.
 * Accept-Encoding counts as the coding the proxy would answer with, not as the browser wrote it:
 * "gzip, deflate, br" and "br, gzip" both get the Brotli answer.
 */
export function variantKey(varyNames: readonly string[], headers: IncomingHttpHeaders, codings: readonly CompressionCoding[]): string {
  if (varyNames.length === 0) return "";
  let key = "";
  for (const name of varyNames) {
    const value = headers[name];
    const text = Array.isArray(value) ? value.join(",") : (value ?? "");
    const normalised =
      name === "accept-encoding" ? (chooseCoding(value === undefined ? undefined : text, codings) ?? "identity") : text.replace(/\s+/g, " ").trim();
    key += `\n${name}:${normalised}`;
  }
  return key;
}
