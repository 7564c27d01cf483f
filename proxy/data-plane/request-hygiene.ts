import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { hasInvalidHost } from "./host-check";
import { forwardableTarget } from "./request-target";

/**
 * TRACE echoes the request back, cookies and credentials included (cross-site tracing); no site
 * behind a proxy needs it, and nginx and IIS refuse it too. TRACK is Microsoft's alias.
 */
const REFUSED_METHODS: ReadonlySet<string> = new Set(["TRACE", "TRACK"]);

/**
 * Header names with "_" are dropped, as nginx does: CGI and many frameworks read "X_Forwarded_For"
 * and "X-Forwarded-For" as the same variable, so a client could slip one in beside the real one
 * the proxy sets.
 */
function dropUnderscoreHeaders(headers: IncomingHttpHeaders): void {
  for (const name of Object.keys(headers)) if (name.includes("_")) delete headers[name];
}

/**
 * The first stage of every request: refuses what must never be routed (a bad Host, a refused
 * method, an invalid request target) with the status to answer, and puts the rest in the one form
 * every later stage and the upstream see: the target in origin-form, exactly as sent.
 */
export function cleanRequest(req: IncomingMessage): 400 | 405 | null {
  if (hasInvalidHost(req)) return 400;
  if (REFUSED_METHODS.has(req.method ?? "")) return 405;
  const target = forwardableTarget(req.url, req.headers.host);
  if (target === null) return 400;
  req.url = target;
  dropUnderscoreHeaders(req.headers);
  return null;
}
