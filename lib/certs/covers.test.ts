import { describe, expect, it } from "vitest";
import { certificateCovers, coveringWildcard, uncoveredHostnames } from "./covers";

describe("certificateCovers", () => {
  const cases: [certificateNames: string[], hostname: string, covered: boolean][] = [
    [["example.com"], "example.com", true],
    [["example.com"], "EXAMPLE.com.", true],
    [["Example.COM."], "example.com", true],
    [["example.com"], "www.example.com", false],
    [["*.example.com"], "a.example.com", true],
    [["*.example.com"], "A.Example.Com", true],
    [["*.example.com"], "example.com", false],
    [["*.example.com"], "a.b.example.com", false],
    [["*.example.com"], "aexample.com", false],
    [["*.example.com"], ".example.com", false],
    [["*.example.com"], "a.example.org", false],
    [["*.com"], "example.com", false],
    [["*.*.example.com"], "a.b.example.com", false],
    [["a*.example.com"], "ab.example.com", false],
    [["*.example.com", "example.com"], "example.com", true],
    // A wildcard site hostname serves every subdomain: only the same wildcard covers it.
    [["*.example.com"], "*.example.com", true],
    [["a.example.com", "b.example.com"], "*.example.com", false],
    [["example.com"], "*.example.com", false],
    [["*.example.com"], "*.a.example.com", false],
    [["10.0.0.1"], "10.0.0.1", true],
    [[], "example.com", false],
    [["example.com"], "", false],
  ];
  it.each(cases)("%j covers %s: %s", (names, hostname, covered) => {
    expect(certificateCovers(names, hostname)).toBe(covered);
  });
});

describe("uncoveredHostnames", () => {
  it("lists the hostnames left out, normalized, once each, in order", () => {
    const names = ["example.com", "*.example.com"];
    const hosts = ["www.example.com", "example.org", "a.b.example.com", "EXAMPLE.ORG.", "example.com", "*.example.org"];
    expect(uncoveredHostnames(names, hosts)).toEqual(["example.org", "a.b.example.com", "*.example.org"]);
  });

  it("is empty when everything is covered or nothing is asked", () => {
    expect(uncoveredHostnames(["*.example.com"], ["a.example.com", "b.example.com"])).toEqual([]);
    expect(uncoveredHostnames(["example.com"], [])).toEqual([]);
  });

  it("matches a name typed in Unicode against the certificate's punycode", () => {
    expect(uncoveredHostnames(["xn--bcher-kva.example", "*.xn--bcher-kva.example"], ["Bücher.example", "shop.bücher.example"])).toEqual([]);
    expect(uncoveredHostnames(["example.com"], ["bücher.example"])).toEqual(["xn--bcher-kva.example"]);
  });
});

describe("coveringWildcard", () => {
  const wildcard = { id: "w", domains: ["*.example.com", "example.com"], daysLeft: 60, source: "acme" };
  const longer = { id: "l", domains: ["*.example.com"], daysLeft: 80, source: "upload" };
  const exact = { id: "e", domains: ["shop.example.com"], daysLeft: 90, source: "upload" };
  const selfSigned = { id: "s", domains: ["*.example.com"], daysLeft: 300, source: "self-signed" };
  const expired = { id: "x", domains: ["*.example.com"], daysLeft: 0, source: "acme" };

  it.each([
    [["shop.example.com"], "l"],
    [["shop.example.com", "example.com"], "w"],
    [["Shop.Example.com."], "l"],
    [["shop.example.com", "other.org"], undefined],
    [["a.b.example.com"], undefined],
    [[], undefined],
    [[" "], undefined],
  ])("%j -> %s", (hostnames, expected) => {
    expect(coveringWildcard([exact, selfSigned, expired, wildcard, longer], hostnames)?.id).toBe(expected);
  });
});
