import type { RuntimeSite, RuntimeUpstream } from "./runtime-types";

/** Every upstream a site may send requests to: its own and its routes'. */
export function upstreamsOf(site: RuntimeSite): RuntimeUpstream[] {
  const upstreams = [...site.upstreams];
  for (const route of site.routes) if (route.action.kind === "upstreams") upstreams.push(...route.action.group.upstreams);
  return upstreams;
}
