import type { SnapshotSite } from "@/lib/schemas/snapshot";
import { inTryOrder } from "@/lib/routing/route-path";
import { compileUpstreamGroup } from "./compile-upstreams";
import type { RouteAction, RuntimeRoute, RuntimeSite } from "./runtime-types";

/**
 * A site's routes in the order they are tried, with everything a request needs resolved: header
 * matches as a flat list, a fixed answer's body as bytes, and each upstream route's own group
 * with the site's load balancing and passive-health choice. A route's group keeps its policy's
 * state across edits by the route's id, as the site's does. A string: why a route is unusable.
 */
export function compileRoutes(site: SnapshotSite, previous: RuntimeSite | undefined): RuntimeRoute[] | string {
  const routes: RuntimeRoute[] = [];
  for (const route of inTryOrder(site.routes)) {
    let action: RouteAction;
    if (route.upstreams !== undefined) {
      const earlier = previous?.routes.find((each) => each.id === route.id)?.action;
      const group = compileUpstreamGroup(
        route.upstreams,
        site.loadBalancing.policy,
        site.passiveHealthCountsServerErrors,
        earlier?.kind === "upstreams" ? earlier.group : undefined,
      );
      if (typeof group === "string") return `The route for ${route.pathPrefix}: ${group}`;
      action = { kind: "upstreams", group };
    } else if (route.redirect !== undefined) {
      action = { kind: "redirect", redirect: route.redirect };
    } else if (route.respond !== undefined) {
      const { status, contentType, body } = route.respond;
      action = { kind: "respond", status, contentType, body: Buffer.from(body) };
    } else {
      return `The route for ${route.pathPrefix} has nothing to do.`;
    }
    routes.push({
      id: route.id,
      pathPrefix: route.pathPrefix,
      headers: Object.entries(route.headers),
      stripPrefix: route.stripPrefix,
      addPrefix: route.addPrefix,
      action,
    });
  }
  return routes;
}
