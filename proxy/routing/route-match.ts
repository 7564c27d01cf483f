import type { IncomingHttpHeaders } from "node:http";
import { prefixMatches } from "@/lib/routing/route-path";
import type { Redirect } from "@/lib/schemas/site-routing";
import type { RuntimeRoute } from "../runtime/runtime-types";

/** The first route (in tried order) that takes this target ("/path?query") with these headers; null: the site's own upstreams. */
export function matchRoute(routes: readonly RuntimeRoute[], target: string, headers: IncomingHttpHeaders): RuntimeRoute | null {
  for (const route of routes) {
    if (prefixMatches(route.pathPrefix, target) && headersMatch(route.headers, headers)) return route;
  }
  return null;
}

/** Every required header carries exactly the value (repeated headers as Node joins them, ", "). */
function headersMatch(required: RuntimeRoute["headers"], headers: IncomingHttpHeaders): boolean {
  for (const [name, value] of required) {
    if (headers[name] !== value) return false;
  }
  return true;
}

/**
 * Where a redirect sends the visitor: `to`, followed, when the path is preserved, by `target` (the
 * path and query to carry over), without doubling the slash between them.
 */
export function redirectLocation(redirect: Redirect, target: string): string {
  if (!redirect.preservePath) return redirect.to;
  return redirect.to.endsWith("/") && target.startsWith("/") ? redirect.to + target.slice(1) : redirect.to + target;
}
