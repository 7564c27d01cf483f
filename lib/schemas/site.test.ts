import { describe, expect, it } from "vitest";
import { hostnameSchema } from "./hostname";
import { upstreamUrlSchema } from "./upstream";
import { mergeSitePatch, siteInputSchema, type SiteData } from "./site";
import { zodDetails } from "../errors";

describe("hostnameSchema", () => {
  it.each([
    ["Example.COM", "example.com"],
    ["  shop.example.com. ", "shop.example.com"],
    ["*.example.com", "*.example.com"],
    ["localhost", "localhost"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
  ])("accepts %j as %j", (input, expected) => {
    expect(hostnameSchema.parse(input)).toBe(expected);
  });

  it.each([
    ["", "Enter a hostname"],
    ["https://example.com", "leave out the scheme"],
    ["example.com:8080", "leave out the scheme, port and path"],
    ["exa mple.com", "leave out the scheme"],
    ["*.com", "a wildcard needs a domain under it"],
    ["a.*.example.com", "may only be the first label"],
    ["-bad.example.com", '"-bad" may use only letters'],
    ["under_score.example.com", '"under_score" may use only letters'],
    ["a".repeat(64) + ".com", "may use only letters"],
  ])("rejects %j saying %j", (input, message) => {
    const result = hostnameSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});

describe("upstreamUrlSchema", () => {
  it.each([
    ["http://10.0.0.5:8080", "http://10.0.0.5:8080"],
    ["https://app.internal/", "https://app.internal"],
    ["http://127.0.0.1:3000/base/", "http://127.0.0.1:3000/base"],
    ["10.0.0.5:8080", "http://10.0.0.5:8080"],
    ["app.internal:3000", "http://app.internal:3000"],
  ])("normalizes %j to %j", (input, expected) => {
    expect(upstreamUrlSchema.parse(input)).toBe(expected);
  });

  it.each([
    ["", "is not a URL"],
    ["http://exa mple", "is not a URL"],
    ["ftp://files.internal", "must start with http:// or https://"],
    ["http://user:pw@app.internal", "must not contain a user name"],
    ["http://app.internal/?a=1", "must not contain a query string"],
  ])("rejects %j saying %j", (input, message) => {
    const result = upstreamUrlSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});

describe("siteInputSchema", () => {
  const minimal = { name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] };

  it("fills the defaults a new user expects", () => {
    expect(siteInputSchema.parse(minimal)).toEqual({
      ...minimal,
      upstreams: [{ url: "http://10.0.0.5:8080", weight: 1 }],
      enabled: true,
      certificateId: null,
      forceHttps: false,
      hsts: false,
      websockets: true,
      preserveHost: true,
      verifyUpstreamTls: true,
      loadBalancing: { policy: "round_robin" },
      healthCheck: {
        enabled: true,
        path: "/",
        intervalSeconds: 10,
        timeoutSeconds: 5,
        expectedStatus: "200-399",
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
  });

  it("fills the health-check settings that were not sent with the defaults", () => {
    const site = siteInputSchema.parse({ ...minimal, healthCheck: { path: "/healthz", intervalSeconds: 2, timeoutSeconds: 1 } });
    expect(site.healthCheck).toEqual({ enabled: true, path: "/healthz", intervalSeconds: 2, timeoutSeconds: 1, expectedStatus: "200-399", healthyThreshold: 2, unhealthyThreshold: 3 });
  });

  it("checks the load-balancing policy and the health check field by field", () => {
    const result = siteInputSchema.safeParse({
      ...minimal,
      loadBalancing: { policy: "random" },
      healthCheck: { enabled: true, path: "health", intervalSeconds: 5, timeoutSeconds: 9, expectedStatus: "399-200", healthyThreshold: 2, unhealthyThreshold: 0 },
    });
    expect(Object.keys(zodDetails(result.error!)).sort()).toEqual([
      "healthCheck.expectedStatus",
      "healthCheck.path",
      "healthCheck.unhealthyThreshold",
      "loadBalancing.policy",
    ]);
    const slowTimeout = siteInputSchema.safeParse({ ...minimal, healthCheck: { ...siteInputSchema.parse(minimal).healthCheck, timeoutSeconds: 30 } });
    expect(zodDetails(slowTimeout.error!)).toEqual({ "healthCheck.timeoutSeconds": "The timeout must not be longer than the interval" });
  });

  it("names every bad field by its path", () => {
    const result = siteInputSchema.safeParse({
      name: "",
      hostnames: ["ok.example.com", "bad host"],
      upstreams: [{ url: "ftp://files.internal" }],
    });
    expect(result.success).toBe(false);
    const details = zodDetails(result.error!);
    expect(Object.keys(details).sort()).toEqual(["hostnames.1", "name", "upstreams.0.url"]);
    expect(details.name).toBe("Give the site a name");
  });

  it("refuses a hostname listed twice, after normalizing case", () => {
    const result = siteInputSchema.safeParse({ ...minimal, hostnames: ["a.example.com", "A.example.com"] });
    expect(zodDetails(result.error!)).toEqual({ "hostnames.1": '"a.example.com" is listed twice' });
  });

  it("refuses force HTTPS and HSTS without a certificate", () => {
    const result = siteInputSchema.safeParse({ ...minimal, forceHttps: true, hsts: true });
    expect(Object.keys(zodDetails(result.error!)).sort()).toEqual(["forceHttps", "hsts"]);
    expect(siteInputSchema.safeParse({ ...minimal, forceHttps: true, certificateId: "c1" }).success).toBe(true);
  });

  it("requires at least one hostname and one upstream", () => {
    const result = siteInputSchema.safeParse({ name: "x", hostnames: [], upstreams: [] });
    expect(zodDetails(result.error!)).toEqual({
      hostnames: "Add at least one hostname",
      upstreams: "Add at least one upstream server",
    });
  });
});

describe("mergeSitePatch", () => {
  const current: SiteData = siteInputSchema.parse({
    name: "Blog",
    hostnames: ["blog.example.com"],
    upstreams: [{ url: "http://10.0.0.5:8080" }],
    websockets: false,
    certificateId: "c1",
    forceHttps: true,
  });

  it("changes only the fields sent, without resetting others to defaults", () => {
    const merged = mergeSitePatch(current, { name: "New name" });
    expect(merged.success && merged.data).toEqual({ ...current, name: "New name" });
  });

  it("validates the merged whole: removing the certificate while forcing HTTPS fails", () => {
    const merged = mergeSitePatch(current, { certificateId: null });
    expect(merged.success).toBe(false);
    expect(zodDetails(merged.error!)).toHaveProperty("forceHttps");
  });

  it("changes only the keys sent inside the health check", () => {
    const merged = mergeSitePatch(current, { healthCheck: { path: "/healthz" }, loadBalancing: { policy: "least_conn" } });
    expect(merged.success && merged.data.healthCheck).toEqual({ ...current.healthCheck, path: "/healthz" });
    expect(merged.success && merged.data.loadBalancing).toEqual({ policy: "least_conn" });
    expect(mergeSitePatch(current, { healthCheck: { pth: "/x" } }).success).toBe(false);
  });

  it("refuses unknown fields", () => {
    const merged = mergeSitePatch(current, { nmae: "typo" });
    expect(merged.success).toBe(false);
    expect(merged.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});
