import { inTryOrder, prefixMatches, rewriteTarget } from "@/lib/routing/route-path";
import { addPrefixSchema, pathPrefixSchema } from "@/lib/schemas/site-routing";
import { upstreamUrlSchema } from "@/lib/schemas/upstream";
import { parseUpstreamLines } from "@/app/_lib/upstream-lines";
import type { RouteRow } from "./routing-form";

/** The prefix as the proxy will store it ("/api/" is "/api"), or null while it is not a valid one. */
function storedPrefix(typed: string): string | null {
  const parsed = pathPrefixSchema.safeParse(typed);
  return parsed.success ? parsed.data : null;
}

/** A path under the prefix, to show what happens to the rest of a path. */
const samplePath = (prefix: string): string => (prefix === "/" ? "/page" : `${prefix}/page`);

/** `to` with a path appended, without doubling the slash between them. */
const joined = (base: string, path: string): string => base.replace(/\/+$/, "") + path;

/**
 * What the route does to one request, in plain words, as the user types: "/api/page goes to
 * http://10.0.0.7:8080/v2/page". Null while the prefix is not one the proxy would take.
 */
export function routeExample(route: RouteRow): string | null {
  const prefix = storedPrefix(route.pathPrefix);
  if (prefix === null) return null;
  const headers = route.headers.filter(({ name }) => name.trim() !== "");
  const when = headers.length === 0 ? "" : ` with ${headers.map(({ name, value }) => `${name.trim()}: ${value}`).join(" and ")}`;

  if (route.action === "respond") {
    const status = route.respond.status.trim() || "200";
    return `${prefix}${when} is answered ${status} with ${route.respond.body === "" ? "an empty body" : "the body above"}.`;
  }

  const added = addPrefixSchema.safeParse(route.addPrefix);
  const rewritten = rewriteTarget(
    { pathPrefix: prefix, stripPrefix: route.stripPrefix, addPrefix: added.success ? added.data : "" },
    samplePath(prefix),
  );
  const sample = `${samplePath(prefix)}${when}`;

  if (route.action === "redirect") {
    const to = route.redirect.to.trim();
    const status = `(${route.redirect.status})`;
    if (to === "") return `${sample} redirects ${status} to the address you enter.`;
    return `${sample} redirects ${status} to ${route.redirect.preservePath ? joined(to, rewritten) : to}.`;
  }

  const servers = parseUpstreamLines(route.upstreams).items;
  const first = servers[0];
  if (first === undefined) return `${sample} goes to the upstream servers you list, as ${rewritten}.`;
  const others = servers.length - 1;
  const more = others === 0 ? "" : ` (or the same path on ${others === 1 ? "the other server" : `one of the other ${others} servers`})`;
  const url = upstreamUrlSchema.safeParse(first.url);
  return `${sample} goes to ${joined(url.success ? url.data : first.url, rewritten)}${more}.`;
}

export interface TryOrder {
  /** 1 for the route the proxy tries first. */
  rank: number;
  /** The other routes that could take a request this one takes, by their place in the list (1-based), tried before it. */
  triedBefore: number[];
  /** Likewise, tried after it. */
  triedAfter: number[];
}

/**
 * For each route, where the proxy tries it (longest prefix first, then the listed order) and which
 * other routes could take the same request. Routes whose prefix is not valid yet are left out (null).
 */
export function tryOrder(routes: readonly RouteRow[]): (TryOrder | null)[] {
  const valid = routes.flatMap((route, index) => {
    const prefix = storedPrefix(route.pathPrefix);
    return prefix === null ? [] : [{ pathPrefix: prefix, index }];
  });
  const ordered = inTryOrder(valid);
  const rankOf = new Map(ordered.map(({ index }, at) => [index, at + 1]));
  const overlaps = (a: string, b: string) => prefixMatches(a, b) || prefixMatches(b, a);
  return routes.map((_, index) => {
    const rank = rankOf.get(index);
    const own = valid.find((route) => route.index === index);
    if (rank === undefined || own === undefined) return null;
    const rivals = valid.filter((other) => other.index !== index && overlaps(own.pathPrefix, other.pathPrefix));
    const place = (other: { index: number }) => other.index + 1;
    return {
      rank,
      triedBefore: rivals.filter((other) => (rankOf.get(other.index) ?? 0) < rank).map(place),
      triedAfter: rivals.filter((other) => (rankOf.get(other.index) ?? 0) > rank).map(place),
    };
  });
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}
