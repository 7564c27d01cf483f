import type { IncomingMessage } from "node:http";
import { parseHostHeader } from "../routing/parse-host-header";

/**
 * Whether a request's Host is unusable: absent (Node already refuses that for HTTP/1.1), sent
 * twice, or not a hostname at all. RFC 9112 asks for 400 in each case; Node silently keeps the
 * first of two Host headers, and a proxy and an upstream that pick differently can be played
 * against each other.
 */
export function hasInvalidHost(req: IncomingMessage): boolean {
  if (parseHostHeader(req.headers.host) === null) return true;
  const raw = req.rawHeaders;
  let seen = 0;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    if (name.length === 4 && name.toLowerCase() === "host" && ++seen > 1) return true;
  }
  return false;
}
