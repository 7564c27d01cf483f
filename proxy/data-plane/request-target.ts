import { parseHostHeader } from "../routing/parse-host-header";

/**
 * RFC 3986 path and query characters, plus the few that real clients send unencoded ("|", "^",
 * "{", "}", quotes, angle brackets: nginx and Caddy pass them too) and UTF-8 bytes. Not "\":
 * URL parsers turn it into "/", so the proxy, its rules and the upstream would each see another
 * path; and not "#": a fragment never belongs in a request.
 */
const PATH_AND_QUERY = /^\/[\x21-\x22\x24-\x5b\x5d-\x7e\x80-\uffff]*$/;
/** "%" must start an escape in the path; the query is the application's business. */
const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;
const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)(.*)$/i;
/**
 * A ".." segment, plain or percent-encoded. Browsers and HTTP libraries resolve them before
 * sending, so only probes send one; passed on, it would climb out of an upstream's path prefix
 * ("/base" + "/../admin"), as nginx refuses it for climbing above the root.
 */
const PARENT_SEGMENT = /(?:^|\/)(?:\.|%2e){2}(?:\/|$)/i;

/**
 * The request target to forward, exactly as the client sent it, in origin-form ("/path?query"),
 * or null when it is not a valid one (answer 400). The absolute-form ("GET http://host/path") is
 * accepted when it names the same host as the Host header, and forwarded as its path and query.
 * Nothing is decoded, resolved or merged: the access log, the exploit rules and the upstream all
 * see the same bytes.
 */
export function forwardableTarget(target: string | undefined, hostHeader: string | undefined): string | null {
  if (target === undefined) return null;
  let originForm = target;
  if (!target.startsWith("/")) {
    const absolute = ABSOLUTE_FORM.exec(target);
    if (absolute === null) return null;
    const authority = parseHostHeader(absolute[1]);
    if (authority === null || authority !== parseHostHeader(hostHeader)) return null;
    originForm = absolute[2]!.startsWith("/") ? absolute[2]! : `/${absolute[2]!}`;
  }
  if (!PATH_AND_QUERY.test(originForm)) return null;
  const query = originForm.indexOf("?");
  const path = query === -1 ? originForm : originForm.slice(0, query);
  return BAD_ESCAPE.test(path) || PARENT_SEGMENT.test(path) ? null : originForm;
}

/**
 * The path the upstream gets: the upstream URL's own path (a prefix such as "/app") followed by
 * the client's target, joined without doubling the slash.
 */
export function upstreamTarget(upstreamPath: string, target: string): string {
  if (upstreamPath === "/" || upstreamPath === "") return target;
  return upstreamPath.replace(/\/$/, "") + target;
}
