import { describe, expect, it } from "vitest";
import { HostRouter } from "./host-router";
import { parseHostHeader } from "./parse-host-header";

const sites = [
  { id: "apex", hostnames: ["example.com", "www.example.com"] },
  { id: "wild", hostnames: ["*.example.com"] },
  { id: "deep-wild", hostnames: ["*.b.example.com"] },
  { id: "exact-under-wild", hostnames: ["x.b.example.com"] },
  { id: "other", hostnames: ["other.test"] },
];
const router = new HostRouter(sites);

describe("HostRouter.match", () => {
  it.each([
    // exact
    ["example.com", "apex"],
    ["www.example.com", "apex"],
    ["other.test", "other"],
    // wildcard
    ["shop.example.com", "wild"],
    ["a.c.example.com", "wild"],
    // most specific wildcard wins, exact beats every wildcard
    ["a.b.example.com", "deep-wild"],
    ["z.y.b.example.com", "deep-wild"],
    ["x.b.example.com", "exact-under-wild"],
    ["b.example.com", "wild"],
    // ports, case, trailing dot
    ["example.com:8080", "apex"],
    ["EXAMPLE.com", "apex"],
    ["Shop.Example.COM:443", "wild"],
    ["example.com.", "apex"],
    ["example.com.:80", "apex"],
    ["  other.test  ", "other"],
    // no match
    ["example.org", null],
    ["notexample.com", null],
    ["com", null],
    ["", null],
    [undefined, null],
    // IPv6 literals and IPs never match a named site
    ["[::1]:8080", null],
    ["[::1]", null],
    ["127.0.0.1:80", null],
    // garbage must not route (and must never reach a redirect)
    ["evil.com/.example.com", null],
    ["user@example.com", null],
    ["example.com:80x", null],
    ["[::1", null],
  ] as const)("%j -> %s", (host, expected) => {
    expect(router.match(host)?.id ?? null).toBe(expected);
  });

  it("keeps the first site when two claim one name", () => {
    const r = new HostRouter([
      { id: "first", hostnames: ["dup.test"] },
      { id: "second", hostnames: ["dup.test"] },
    ]);
    expect(r.match("dup.test")?.id).toBe("first");
  });

  it("matches nothing when empty", () => {
    expect(new HostRouter([]).match("example.com")).toBeNull();
  });
});

describe("parseHostHeader", () => {
  it.each([
    ["Example.COM:8080", "example.com"],
    ["[::1]:8080", "::1"],
    ["[2001:DB8::1]", "2001:db8::1"],
    ["host:", "host"],
    ["10.0.0.1:80", "10.0.0.1"],
    ["[not-an-ip]:80", null],
    ["[::1]x", null],
    ["a..b", null],
    [".", null],
    ["a".repeat(254), null],
  ] as const)("%j -> %j", (input, expected) => {
    expect(parseHostHeader(input)).toBe(expected);
  });
});
