import { isIPv6 } from "node:net";

// Letters, digits, hyphens and (seen in the wild on internal names) underscores. Anything else,
// such as "/" or "@", must never reach a redirect Location or a log line as a "hostname".
const HOSTNAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

/**
 * The hostname a Host header (or TLS SNI name) asks for: lower-case, without port or trailing dot.
 * IPv6 literals come back bare ("::1"). Returns null for anything that is not a plausible name,
 * so that callers answer 404 instead of routing on garbage.
 */
export function parseHostHeader(value: string | undefined | null): string | null {
  if (typeof value !== "string") return null;
  let host = value.trim().toLowerCase();
  if (host.length === 0) return null;

  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    if (close === -1) return null;
    const rest = host.slice(close + 1);
    if (rest !== "" && !/^:\d*$/.test(rest)) return null;
    const address = host.slice(1, close);
    return isIPv6(address) ? address : null;
  }

  const colon = host.indexOf(":");
  if (colon !== -1) {
    if (!/^\d*$/.test(host.slice(colon + 1))) return null;
    host = host.slice(0, colon);
  }
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host.length === 0 || host.length > 253 || !HOSTNAME.test(host)) return null;
  return host;
}
