import { describe, expect, it } from "vitest";
import { inTryOrder, prefixMatches, rewriteTarget } from "./route-path";

describe("prefixMatches", () => {
  it.each([
    ["/api", "/api", true],
    ["/api", "/api/", true],
    ["/api", "/api/users", true],
    ["/api", "/api?x=1", true],
    ["/api", "/apix", false],
    ["/api", "/ap", false],
    ["/api", "/API", false],
    ["/api", "/", false],
    ["/api/v1", "/api/v1/x", true],
    ["/api/v1", "/api/v10", false],
    ["/", "/", true],
    ["/", "/anything?at=all", true],
    ["/robots.txt", "/robots.txt", true],
    ["/robots.txt", "/robots.txt.bak", false],
  ])("%s takes %s: %s", (prefix, path, expected) => {
    expect(prefixMatches(prefix, path)).toBe(expected);
  });
});

describe("rewriteTarget", () => {
  it.each([
    [{ pathPrefix: "/api", stripPrefix: true, addPrefix: "" }, "/api/users?x=1&y=%2F", "/users?x=1&y=%2F"],
    [{ pathPrefix: "/api", stripPrefix: true, addPrefix: "" }, "/api", "/"],
    [{ pathPrefix: "/api", stripPrefix: true, addPrefix: "" }, "/api?x=1", "/?x=1"],
    [{ pathPrefix: "/api", stripPrefix: true, addPrefix: "/v2" }, "/api/users?x=1", "/v2/users?x=1"],
    [{ pathPrefix: "/api", stripPrefix: true, addPrefix: "/v2" }, "/api", "/v2"],
    [{ pathPrefix: "/api", stripPrefix: true, addPrefix: "/v2" }, "/api?x=1", "/v2?x=1"],
    [{ pathPrefix: "/api", stripPrefix: false, addPrefix: "/v2" }, "/api/users", "/v2/api/users"],
    [{ pathPrefix: "/api", stripPrefix: false, addPrefix: "" }, "/api/users", "/api/users"],
    [{ pathPrefix: "/", stripPrefix: true, addPrefix: "/app" }, "/x?y", "/app/x?y"],
  ])("%o turns %s into %s", (route, target, expected) => {
    expect(rewriteTarget(route, target)).toBe(expected);
  });
});

describe("inTryOrder", () => {
  it("tries the longest prefix first, and equal prefixes in the order listed", () => {
    const routes = [
      { pathPrefix: "/", name: "root" },
      { pathPrefix: "/api", name: "api with header" },
      { pathPrefix: "/api/v1", name: "v1" },
      { pathPrefix: "/api", name: "api" },
    ];
    expect(inTryOrder(routes).map((route) => route.name)).toEqual(["v1", "api with header", "api", "root"]);
  });
});
