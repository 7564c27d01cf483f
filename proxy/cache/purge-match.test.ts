import { describe, expect, it } from "vitest";
import { purgeScope } from "@/lib/schemas/cache-purge";
import { primaryKey } from "./cache-key";
import { purgeMatches } from "./purge-match";

const key = (scheme: string, host: string, target: string) => primaryKey(scheme, host, target);

describe("what a purge takes", () => {
  it("takes everything when it names nothing", () => {
    expect(purgeMatches(purgeScope({}), key("https", "a.test", "/x"))).toBe(true);
  });

  it("takes one URL over either scheme, on its host only, query included", () => {
    const scope = purgeScope({ url: "https://A.test/x.css?v=2" });
    expect(purgeMatches(scope, key("https", "a.test", "/x.css?v=2"))).toBe(true);
    expect(purgeMatches(scope, key("http", "a.test:8080", "/x.css?v=2"))).toBe(true);
    expect(purgeMatches(scope, key("https", "b.test", "/x.css?v=2"))).toBe(false);
    expect(purgeMatches(scope, key("https", "a.test", "/x.css"))).toBe(false);
  });

  it("takes a path on every hostname when the URL is a path", () => {
    const scope = purgeScope({ url: "/x.css" });
    expect(purgeMatches(scope, key("https", "a.test", "/x.css"))).toBe(true);
    expect(purgeMatches(scope, key("http", "[::1]", "/x.css"))).toBe(true);
    expect(purgeMatches(scope, key("https", "a.test", "/x.css/more"))).toBe(false);
  });

  it("takes every path under a prefix", () => {
    const scope = purgeScope({ prefix: "/static/" });
    expect(purgeMatches(scope, key("https", "a.test", "/static/app.js"))).toBe(true);
    expect(purgeMatches(scope, key("https", "a.test", "/static"))).toBe(false);
    expect(purgeMatches(scope, key("https", "a.test", "/other/static/app.js"))).toBe(false);
  });
});
