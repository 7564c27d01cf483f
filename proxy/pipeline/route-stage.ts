import { rewriteTarget } from "@/lib/routing/route-path";
import { matchRoute, redirectLocation } from "../routing/route-match";
import { answer, answerWithBody } from "./answer";
import type { RequestContext } from "./request-context";

/**
 * Where the request goes within its site, after the protections (they guard every route) and
 * before its body is read: a redirection host redirects everything; otherwise the first route
 * that takes it forwards it to its own upstreams, redirects it or answers it, and a request no
 * route takes goes to the site's upstreams as it came. A site without routes costs a length check.
 */
export function routeWithinSite(ctx: RequestContext): boolean {
  const site = ctx.site!;
  const target = ctx.req.url!;
  if (site.redirect !== null) return answer(ctx, site.redirect.status, { location: redirectLocation(site.redirect, target) });
  ctx.upstreams = site;
  ctx.target = target;
  if (site.routes.length === 0) return true;
  const route = matchRoute(site.routes, target, ctx.req.headers);
  if (route === null) return true;
  ctx.route = route;
  const { action } = route;
  switch (action.kind) {
    case "upstreams":
      ctx.upstreams = action.group;
      ctx.target = rewriteTarget(route, target);
      return true;
    case "redirect":
      return answer(ctx, action.redirect.status, { location: redirectLocation(action.redirect, rewriteTarget(route, target)) });
    case "respond":
      return answerWithBody(ctx, action.status, { "content-type": action.contentType }, action.body);
  }
}
