import { describe, expect, it } from "vitest";
import { snapshotRouteSchema, type Redirect } from "@/lib/schemas/site-routing";
import { testSite, testSnapshot } from "@/test-support/snapshots";
import { BasicAuthVerifier } from "../security/basic-auth";
import { compileSnapshot } from "../runtime/compile-snapshot";
import type { RuntimeSite } from "../runtime/runtime-types";
import { matchRoute, redirectLocation } from "./route-match";

const respond = (body: string) => ({ respond: { status: 200, body } });

/** A site compiled the way the proxy compiles it, with these routes (as the snapshot carries them). */
function siteWith(routes: unknown[]): RuntimeSite {
  const site = testSite({
    id: "s",
    hostnames: ["s.test"],
    upstreams: ["http://127.0.0.1:1"],
    routes: routes.map((route, index) => snapshotRouteSchema.parse({ id: `r${index}`, ...(route as object) })),
  });
  const result = compileSnapshot(testSnapshot(1, [site]), { previous: null, verifier: new BasicAuthVerifier() });
  if (!result.ok || result.siteErrors.s !== undefined) throw new Error(JSON.stringify(result));
  return result.runtime.sites.get("s")!;
}

const matched = (site: RuntimeSite, target: string, headers: Record<string, string> = {}) => matchRoute(site.routes, target, headers)?.id ?? null;

describe("matchRoute", () => {
  it("takes a prefix by whole segments, the query included", () => {
    const site = siteWith([{ pathPrefix: "/api", ...respond("api") }]);
    expect(matched(site, "/api")).toBe("r0");
    expect(matched(site, "/api/x")).toBe("r0");
    expect(matched(site, "/api?q=1")).toBe("r0");
    expect(matched(site, "/apix")).toBeNull();
    expect(matched(site, "/")).toBeNull();
  });

  it("tries the longest prefix first, and equal prefixes in the order listed", () => {
    const site = siteWith([
      { pathPrefix: "/", ...respond("root") },
      { pathPrefix: "/api", ...respond("api") },
      { pathPrefix: "/api/v2", ...respond("v2") },
      { pathPrefix: "/api", ...respond("api again") },
    ]);
    expect(site.routes.map((route) => route.id)).toEqual(["r2", "r1", "r3", "r0"]);
    expect(matched(site, "/api/v2/users")).toBe("r2");
    expect(matched(site, "/api/v3")).toBe("r1");
    expect(matched(site, "/other")).toBe("r0");
  });

  it("requires every header to carry exactly its value, whatever the case of the name given", () => {
    const site = siteWith([
      { pathPrefix: "/", headers: { "X-Version": "2", "X-Tenant": "blue" }, ...respond("v2 blue") },
      { pathPrefix: "/", headers: { "x-version": "2" }, ...respond("v2") },
    ]);
    expect(site.routes[0]!.headers).toEqual([
      ["x-version", "2"],
      ["x-tenant", "blue"],
    ]);
    expect(matched(site, "/", { "x-version": "2", "x-tenant": "blue" })).toBe("r0");
    expect(matched(site, "/", { "x-version": "2", "x-tenant": "Blue" })).toBe("r1");
    expect(matched(site, "/", { "x-version": "2" })).toBe("r1");
    expect(matched(site, "/", { "x-version": "20" })).toBeNull();
    expect(matched(site, "/")).toBeNull();
  });

  it("compiles each action once: a fixed answer's body as bytes, an upstream route's own group with the site's policy", () => {
    const site = siteWith([
      { pathPrefix: "/robots.txt", respond: { status: 200, body: "User-agent: *\n" } },
      { pathPrefix: "/api", upstreams: [{ id: "api-1", url: "http://127.0.0.1:2/v1", weight: 3 }] },
      { pathPrefix: "/old", redirect: { to: "https://new.example.com", status: 308 } },
    ]);
    const [robots, api, old] = site.routes;
    expect(robots!.action).toEqual({ kind: "respond", status: 200, contentType: "text/plain; charset=utf-8", body: Buffer.from("User-agent: *\n") });
    expect(old!.action).toEqual({ kind: "redirect", redirect: { to: "https://new.example.com", status: 308, preservePath: true } });
    if (api!.action.kind !== "upstreams") throw new Error("expected upstreams");
    expect(api!.action.group.upstreams.map((u) => [u.id, u.url.pathname, u.weight])).toEqual([["api-1", "/v1", 3]]);
    expect(api!.action.group.policy).not.toBe(site.policy);
  });
});

describe("redirectLocation", () => {
  const to = (target: string, preservePath = true, status: Redirect["status"] = 301): Redirect => ({ to: target, status, preservePath });

  it("appends the path and query when they are preserved, without doubling the slash", () => {
    expect(redirectLocation(to("https://new.example.com"), "/a/b?x=1")).toBe("https://new.example.com/a/b?x=1");
    expect(redirectLocation(to("https://new.example.com/"), "/a/b?x=1")).toBe("https://new.example.com/a/b?x=1");
    expect(redirectLocation(to("https://new.example.com/base/"), "/")).toBe("https://new.example.com/base/");
    expect(redirectLocation(to("/elsewhere"), "/a")).toBe("/elsewhere/a");
  });

  it("is exactly the address when the path is not preserved", () => {
    expect(redirectLocation(to("https://new.example.com/landing", false), "/a/b?x=1")).toBe("https://new.example.com/landing");
  });
});
