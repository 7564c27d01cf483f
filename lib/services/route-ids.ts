import { randomBytes } from "node:crypto";
import type { Route } from "../schemas/site-routing";

const newId = (): string => randomBytes(12).toString("base64url");
const routeKey = (route: Route): string => JSON.stringify([route.pathPrefix, Object.entries(route.headers).sort()]);

/**
 * Gives every route and route upstream an id. The proxy keys live state by them (load-balancing
 * credits, health), so a route keeps its id when it is sent back with it or matches the same
 * requests as before, and an upstream keeps its id while its URL stays in that route. Ids the
 * site never had are replaced: they are the product's to give.
 */
export function withRouteIds(stored: readonly Route[], routes: readonly Route[]): Route[] {
  const unclaimed = new Map(stored.filter((route) => route.id !== undefined).map((route) => [route.id!, route]));
  const byKey = new Map(stored.map((route) => [routeKey(route), route]));
  const claim = (route: Route): Route | undefined => {
    const earlier = (route.id !== undefined ? unclaimed.get(route.id) : undefined) ?? byKey.get(routeKey(route));
    if (earlier?.id === undefined || !unclaimed.delete(earlier.id)) return undefined;
    return earlier;
  };
  // Routes sent with their ids claim first, so that a route moved in the list keeps its own.
  const earlier = new Map<Route, Route | undefined>();
  for (const route of routes) if (route.id !== undefined) earlier.set(route, claim(route));
  for (const route of routes) if (route.id === undefined) earlier.set(route, claim(route));
  return routes.map((route) => {
    const before = earlier.get(route);
    const upstreams = route.upstreams && withUpstreamIds(before?.upstreams ?? [], route.upstreams);
    return { ...route, id: before?.id ?? newId(), ...(upstreams ? { upstreams } : {}) };
  });
}

function withUpstreamIds(stored: NonNullable<Route["upstreams"]>, upstreams: NonNullable<Route["upstreams"]>): NonNullable<Route["upstreams"]> {
  const unclaimed = new Map<string, string[]>();
  for (const { url, id } of stored) if (id !== undefined) unclaimed.set(url, [...(unclaimed.get(url) ?? []), id]);
  return upstreams.map((upstream) => ({ ...upstream, id: unclaimed.get(upstream.url)?.shift() ?? newId() }));
}
