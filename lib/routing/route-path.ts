/**
 * How a route takes a request's path: one definition for the proxy, the dashboard's live example
 * and "explain a request". Paths are compared as the client sent them (nothing decoded), as the
 * access log, the exploit rules and the upstream all see them.
 */

/** Whether `prefix` (as lib/schemas/site-routing.ts stores it: no trailing slash but "/") takes `path`, by whole segments. */
export function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === "/") return true;
  if (!path.startsWith(prefix)) return false;
  const next = path.charCodeAt(prefix.length);
  // The end, "/" or "?": "/api" takes "/api", "/api/x" and "/api?q", never "/apix".
  return Number.isNaN(next) || next === SLASH || next === QUESTION_MARK;
}

const SLASH = 0x2f;
const QUESTION_MARK = 0x3f;

export interface PathRewrite {
  pathPrefix: string;
  stripPrefix: boolean;
  addPrefix: string;
}

/**
 * The target ("/path?query") a route passes on: its prefix stripped if it strips ("/api/users?x=1"
 * -> "/users?x=1", "/api" -> "/"), then its added prefix put in front ("/v2/users?x=1"). The query
 * is never touched.
 */
export function rewriteTarget({ pathPrefix, stripPrefix, addPrefix }: PathRewrite, target: string): string {
  let rest = target;
  if (stripPrefix && pathPrefix !== "/") {
    rest = target.slice(pathPrefix.length);
    if (!rest.startsWith("/")) rest = `/${rest}`;
  }
  if (addPrefix === "") return rest;
  // "/v2" + "/" is "/v2", not "/v2/": as if the added prefix were where the route starts.
  if (rest === "/") return addPrefix;
  if (rest.startsWith("/?")) return addPrefix + rest.slice(1);
  return addPrefix + rest;
}

/**
 * The order the proxy tries routes in: the longest prefix first; among equal prefixes, the order
 * they are listed in (the one with header matches first is the user's to put first).
 */
export function inTryOrder<R extends { pathPrefix: string }>(routes: readonly R[]): R[] {
  return routes
    .map((route, index) => ({ route, index }))
    .sort((a, b) => b.route.pathPrefix.length - a.route.pathPrefix.length || a.index - b.index)
    .map(({ route }) => route);
}
