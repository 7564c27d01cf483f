import { describe, expect, it } from "vitest";
import { hostnameSchema } from "./hostname";
import { upstreamUrlSchema } from "./upstream";
import { mergeSitePatch, siteInputSchema, type SiteData } from "./site";
import { defaultSecurityHeaders } from "./site-security";
import { zodDetails } from "../errors";

describe("hostnameSchema", () => {
  it.each([
    ["Example.COM", "example.com"],
    ["  shop.example.com. ", "shop.example.com"],
    ["*.example.com", "*.example.com"],
    ["localhost", "localhost"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    [`${"a".repeat(63)}.example`, `${"a".repeat(63)}.example`],
  ])("accepts %j as %j", (input, expected) => {
    expect(hostnameSchema.parse(input)).toBe(expected);
  });

  it.each([
    ["", "Enter a hostname"],
    ["https://example.com", "leave out the scheme"],
    ["example.com:8080", "leave out the scheme, port and path"],
    ["exa mple.com", "it has a space"],
    ["*.com", "a wildcard needs a domain under it"],
    ["a.*.example.com", "may only be the first label"],
    ["-bad.example.com", '"-bad" may not start or end with a hyphen'],
    ["bad-.example.com", '"bad-" may not start or end with a hyphen'],
    ["under_score.example.com", '"under_score" may use only letters'],
    ["a".repeat(70) + ".com", "is 70 characters long; each part between dots may have at most 63"],
    ["foo..bar", "it has an empty part"],
    [".example.com", "it has an empty part"],
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
    ["http://10.0.0.5:65535", "http://10.0.0.5:65535"],
  ])("normalizes %j to %j", (input, expected) => {
    expect(upstreamUrlSchema.parse(input)).toBe(expected);
  });

  it.each([
    ["", "is not a URL"],
    ["http://exa mple", "Remove the spaces"],
    ["http://10.0.0.5/\r\nX-Inj: 1", "Remove the spaces, line breaks or control characters"],
    ["http://10.0.0.5/\tx", "Remove the spaces, line breaks or control characters"],
    [`http://10.0.0.5/${"a".repeat(2048)}`, "Use at most 2,048 characters"],
    ["unix:/var/run/app.sock", "Unix sockets are not supported"],
    ["unix:///var/run/app.sock", "Unix sockets are not supported"],
    ["http://10.0.0.5:0", "use a port from 1 to 65535"],
    ["10.0.0.5:0", "use a port from 1 to 65535"],
    ["http://10.0.0.5:70000", "use a port from 1 to 65535"],
    ["10.0.0.5:65536/app", "use a port from 1 to 65535"],
    ["https://[::1]:99999", "use a port from 1 to 65535"],
    ["http://10.0.0.5:80x", "is not a URL"],
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
      allowLinkLocalUpstreams: false,
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
      // Only errors and timeouts count against an upstream unless the site asks for 5xx too (nginx's default).
      passiveHealthCountsServerErrors: false,
      accessListId: null,
      rateLimit: null,
      blockExploits: true,
      securityHeaders: {
        hsts: { maxAge: 31_536_000, includeSubDomains: false },
        frameOptions: "SAMEORIGIN",
        contentTypeOptions: true,
        referrerPolicy: "strict-origin-when-cross-origin",
        permissionsPolicy: "",
        contentSecurityPolicy: "",
      },
      customHeaders: { requestSet: [], requestRemove: [], responseSet: [], responseRemove: [] },
      tlsPolicy: "intermediate",
      tlsMode: "terminate",
      proxyProtocol: false,
      // Everything to the site's upstreams, as before routing existed.
      routes: [],
      redirect: null,
      maintenance: { enabled: false, message: "" },
      errorPages: {},
      // New sites compress; the codings and the smallest size are the proxy's defaults.
      compression: { enabled: true },
      cache: { enabled: false },
    });
  });

  it("refuses compression settings that cannot be served, naming the field", () => {
    const problems = (compression: unknown) => {
      const result = siteInputSchema.safeParse({ ...minimal, compression });
      return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
    };
    expect(problems({ enabled: true, algorithms: [] })).toEqual({
      "compression.algorithms": "Choose at least one algorithm, or turn compression off",
    });
    expect(problems({ enabled: true, algorithms: ["gzip", "gzip"] })).toEqual({ "compression.algorithms": "List each algorithm once" });
    expect(Object.keys(problems({ enabled: true, algorithms: ["deflate"] }))).toEqual(["compression.algorithms.0"]);
    expect(problems({ enabled: true, minBytes: -1 })).toEqual({ "compression.minBytes": "The size cannot be negative" });
    expect(problems({ enabled: true, minBytes: 1.5 })).toEqual({ "compression.minBytes": "Give a whole number of bytes" });
    expect(Object.keys(problems({ enabled: "yes" }))).toEqual(["compression.enabled"]);
    expect(Object.keys(problems({ enabled: true, level: 9 }))).toEqual(["compression"]);
    expect(problems({ enabled: false, algorithms: ["gzip"], minBytes: 0 })).toEqual({});
  });

  it("refuses cache settings that cannot be served, naming the field", () => {
    const problems = (cache: unknown) => {
      const result = siteInputSchema.safeParse({ ...minimal, cache });
      return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
    };
    expect(problems({ enabled: true, maxMemoryMb: -1 })).toEqual({ "cache.maxMemoryMb": "The budget cannot be negative" });
    expect(problems({ enabled: true, maxDiskMb: 2.5 })).toEqual({ "cache.maxDiskMb": "Give a whole number of MB" });
    expect(problems({ enabled: true, defaultTtlSeconds: 0 })).toEqual({ "cache.defaultTtlSeconds": "Give at least 1 second, or null for none" });
    expect(Object.keys(problems({ enabled: true, maxMemoryMb: "64" }))).toEqual(["cache.maxMemoryMb"]);
    expect(Object.keys(problems({ enabled: true, ttl: 60 }))).toEqual(["cache"]);
    expect(problems({ enabled: true, maxMemoryMb: 0, maxDiskMb: 0, defaultTtlSeconds: null, cacheHeader: false })).toEqual({});
  });

  it("fills the health-check settings that were not sent with the defaults", () => {
    const site = siteInputSchema.parse({ ...minimal, healthCheck: { path: "/healthz", intervalSeconds: 2, timeoutSeconds: 1 } });
    expect(site.healthCheck).toEqual({
      enabled: true,
      path: "/healthz",
      intervalSeconds: 2,
      timeoutSeconds: 1,
      expectedStatus: "200-399",
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    });
  });

  it("checks the load-balancing policy and the health check field by field", () => {
    const result = siteInputSchema.safeParse({
      ...minimal,
      loadBalancing: { policy: "random" },
      healthCheck: {
        enabled: true,
        path: "health",
        intervalSeconds: 5,
        timeoutSeconds: 9,
        expectedStatus: "399-200",
        healthyThreshold: 2,
        unhealthyThreshold: 0,
      },
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

describe("an upstream the proxy must not forward to", () => {
  const minimal = { name: "Blog", hostnames: ["blog.example.com"] };
  const upstreamError = (url: string, extra: Record<string, unknown> = {}) => {
    const result = siteInputSchema.safeParse({ ...minimal, upstreams: [{ url: "http://10.0.0.5:8080" }, { url }], ...extra });
    return result.success ? undefined : zodDetails(result.error)["upstreams.1.url"];
  };

  // Parsed only: nothing here is stored, and no proxy runs, so nothing is ever sent there.
  const linkLocal = [
    "http://169.254.169.254/latest/meta-data",
    "169.254.169.254",
    "http://169.254.0.1:8080",
    "http://0xA9FEA9FE",
    "http://2852039166",
    "http://[fe80::1]:8080",
    "http://[febf::1]",
    "http://[fd00:ec2::254]",
    "http://[::ffff:169.254.169.254]",
    "http://[::ffff:a9fe:a9fe]",
    "http://metadata.google.internal/computeMetadata/v1",
  ];

  it.each(linkLocal)("refuses %j unless the site opts in", (url) => {
    expect(upstreamError(url)).toMatch(/link-local or cloud metadata address.*Allow link-local upstreams/);
    expect(upstreamError(url, { allowLinkLocalUpstreams: true })).toBeUndefined();
  });

  it("keeps the opt-in per site, and a patch that drops it refuses the saved upstream", () => {
    const current = siteInputSchema.parse({ ...minimal, upstreams: [{ url: "http://169.254.10.10" }], allowLinkLocalUpstreams: true });
    const merged = mergeSitePatch(current, { allowLinkLocalUpstreams: false });
    expect(merged.success).toBe(false);
    expect(zodDetails(merged.error!)["upstreams.0.url"]).toMatch(/link-local/);
    expect(mergeSitePatch(current, { name: "Renamed" }).success).toBe(true);
  });

  it("reports an upstream that is no URL at all as such, beside other problems", () => {
    const result = siteInputSchema.safeParse({ ...minimal, hostnames: ["a.example.com", "a.example.com"], upstreams: [{ url: "http://[" }] });
    expect(Object.keys(zodDetails(result.error!)).sort()).toEqual(["hostnames.1", "upstreams.0.url"]);
  });

  it("accepts neighbours of those ranges", () => {
    for (const url of [
      "http://169.253.255.255",
      "http://169.255.0.1",
      "http://[fec0::1]",
      "http://[fd00:ec2::253]",
      "http://10.0.0.5",
      "http://metadata.example.com",
    ]) {
      expect(upstreamError(url)).toBeUndefined();
    }
  });

  it("refuses this product's own ports on a local address, whatever the spelling", () => {
    const own = { DASHBOARD_PORT: "3000", PROXY_CONTROL_PORT: "3901", HTTP_PORT: "80", HTTPS_PORT: "443" };
    const saved = Object.fromEntries(Object.keys(own).map((key) => [key, process.env[key]]));
    Object.assign(process.env, own);
    try {
      expect(upstreamError("http://127.0.0.1:3000")).toMatch(/own dashboard \(port 3000\).*back to itself/);
      expect(upstreamError("http://localhost:3901")).toMatch(/control port/);
      expect(upstreamError("http://[::1]")).toMatch(/own HTTP port \(port 80\)/);
      expect(upstreamError("https://127.0.0.2")).toMatch(/own HTTPS port \(port 443\)/);
      expect(upstreamError("http://0.0.0.0:3000")).toMatch(/own dashboard/);
      expect(upstreamError("http://[::ffff:127.0.0.1]:3000")).toMatch(/own dashboard/);
      expect(upstreamError("http://app.localhost:80")).toMatch(/own HTTP port/);
      // Another port of this machine, or the same port elsewhere, is an ordinary upstream.
      expect(upstreamError("http://127.0.0.1:8080")).toBeUndefined();
      expect(upstreamError("http://10.0.0.7:3000")).toBeUndefined();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
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

  it("refuses unknown fields in a whole site too, naming each one", () => {
    const result = siteInputSchema.safeParse({
      name: "Blog",
      hostnames: ["blog.example.com"],
      upstreams: [{ url: "http://10.0.0.5", wieght: 3 }],
      upstream: "http://10.0.0.6",
      loadBalancing: { policy: "weighted", sticky: true },
    });
    expect(zodDetails(result.error!)).toEqual({
      upstream: "Unknown field: check its spelling, or leave it out",
      "upstreams.0.wieght": "Unknown field: check its spelling, or leave it out",
      "loadBalancing.sticky": "Unknown field: check its spelling, or leave it out",
    });
  });
});

describe("a site's security settings", () => {
  const minimal = { name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] };

  it("takes each setting, filling the header options that were not sent", () => {
    const site = siteInputSchema.parse({
      ...minimal,
      accessListId: "list-1",
      rateLimit: { requestsPerSecond: 2.5, burst: 10, maxConnectionsPerIp: 20 },
      blockExploits: false,
      securityHeaders: { frameOptions: "DENY", contentSecurityPolicy: " default-src 'self' " },
      customHeaders: { responseSet: [{ name: "X-Team", value: "web" }], requestRemove: ["X-Debug"] },
      tlsPolicy: "modern",
    });
    expect(site).toMatchObject({
      accessListId: "list-1",
      rateLimit: { requestsPerSecond: 2.5, burst: 10, maxConnectionsPerIp: 20 },
      blockExploits: false,
      securityHeaders: { frameOptions: "DENY", contentTypeOptions: true, contentSecurityPolicy: "default-src 'self'" },
      customHeaders: { requestSet: [], requestRemove: ["x-debug"], responseSet: [{ name: "x-team", value: "web" }], responseRemove: [] },
      tlsPolicy: "modern",
    });
  });

  it("reads a null connection cap as no cap, as a PATCH does", () => {
    const site = siteInputSchema.parse({ ...minimal, rateLimit: { requestsPerSecond: 1, burst: 1, maxConnectionsPerIp: null } });
    expect(site.rateLimit).toEqual({ requestsPerSecond: 1, burst: 1 });
  });

  it("switches rate limiting and security headers off with null", () => {
    const site = siteInputSchema.parse({ ...minimal, rateLimit: null, securityHeaders: null });
    expect(site.rateLimit).toBeNull();
    expect(site.securityHeaders).toBeNull();
  });

  it("allows the modern TLS policy and HSTS options without a certificate", () => {
    const result = siteInputSchema.safeParse({
      ...minimal,
      tlsPolicy: "modern",
      securityHeaders: { hsts: { maxAge: 300, includeSubDomains: true } },
    });
    expect(result.success).toBe(true);
  });

  it("names every bad security field by its path", () => {
    const result = siteInputSchema.safeParse({
      ...minimal,
      accessListId: "",
      rateLimit: { requestsPerSecond: 0, burst: 1.5 },
      securityHeaders: { frameOptions: "ALLOW", referrerPolicy: "everywhere", permissionsPolicy: "a\r\nSet-Cookie: x" },
      customHeaders: { responseSet: [{ name: "bad name", value: "x" }], requestRemove: ["Host"] },
      tlsPolicy: "old",
    });
    expect(Object.keys(zodDetails(result.error!)).sort()).toEqual([
      "accessListId",
      "customHeaders.requestRemove.0",
      "customHeaders.responseSet.0.name",
      "rateLimit.burst",
      "rateLimit.requestsPerSecond",
      "securityHeaders.frameOptions",
      "securityHeaders.permissionsPolicy",
      "securityHeaders.referrerPolicy",
      "tlsPolicy",
    ]);
    const details = zodDetails(result.error!);
    expect(details["customHeaders.requestRemove.0"]).toContain("manages the “host” header itself");
    expect(details.tlsPolicy).toContain("modern");
  });

  it("refuses a custom header set twice, or both set and removed", () => {
    const result = siteInputSchema.safeParse({
      ...minimal,
      customHeaders: {
        responseSet: [
          { name: "X-Team", value: "a" },
          { name: "x-team", value: "b" },
        ],
        responseRemove: ["X-Team"],
        requestSet: [{ name: "X-Team", value: "a" }],
        requestRemove: ["server", "Server"],
      },
    });
    expect(zodDetails(result.error!)).toEqual({
      "customHeaders.responseSet.1.name": "“x-team” is set twice: keep one",
      "customHeaders.responseRemove.0": "“x-team” is both set and removed: keep one",
      "customHeaders.requestRemove.1": "“server” is removed twice: keep one",
    });
  });
});

describe("mergeSitePatch: security settings", () => {
  const current: SiteData = siteInputSchema.parse({
    name: "Blog",
    hostnames: ["blog.example.com"],
    upstreams: [{ url: "http://10.0.0.5:8080" }],
    rateLimit: { requestsPerSecond: 10, burst: 20, maxConnectionsPerIp: 5 },
    securityHeaders: { frameOptions: "DENY", hsts: { maxAge: 600, includeSubDomains: true } },
    customHeaders: { requestSet: [{ name: "x-a", value: "1" }], responseSet: [{ name: "x-b", value: "2" }] },
  });

  it("changes only the keys sent inside securityHeaders and rateLimit, even nested ones", () => {
    const merged = mergeSitePatch(current, {
      securityHeaders: { referrerPolicy: "no-referrer", hsts: { maxAge: 900 } },
      rateLimit: { burst: 40 },
    });
    expect(merged.success && merged.data.securityHeaders).toEqual({
      ...current.securityHeaders,
      referrerPolicy: "no-referrer",
      hsts: { maxAge: 900, includeSubDomains: true },
    });
    expect(merged.success && merged.data.rateLimit).toEqual({ requestsPerSecond: 10, burst: 40, maxConnectionsPerIp: 5 });
  });

  it("switches them off with null, and drops the connection cap with null inside", () => {
    const off = mergeSitePatch(current, { securityHeaders: null, rateLimit: null });
    expect(off.success && [off.data.securityHeaders, off.data.rateLimit]).toEqual([null, null]);
    const uncapped = mergeSitePatch(current, { rateLimit: { maxConnectionsPerIp: null } });
    expect(uncapped.success && uncapped.data.rateLimit).toEqual({ requestsPerSecond: 10, burst: 20 });
  });

  it("turns a switched-off setting back on from what is sent, asking for what is missing", () => {
    const off: SiteData = { ...current, rateLimit: null, securityHeaders: null };
    const headers = mergeSitePatch(off, { securityHeaders: { frameOptions: "SAMEORIGIN" } });
    expect(headers.success && headers.data.securityHeaders).toEqual({ ...defaultSecurityHeaders, frameOptions: "SAMEORIGIN" });
    const limit = mergeSitePatch(off, { rateLimit: { burst: 5 } });
    expect(zodDetails(limit.error!)).toEqual({ "rateLimit.requestsPerSecond": "Enter a number of requests per second" });
  });

  it("replaces only the custom header lists sent", () => {
    const merged = mergeSitePatch(current, { customHeaders: { responseSet: [] } });
    expect(merged.success && merged.data.customHeaders).toEqual({ ...current.customHeaders, responseSet: [] });
  });

  it("refuses unknown keys and bad values inside, naming the path", () => {
    const typo = mergeSitePatch(current, { securityHeaders: { frameOption: "DENY" } });
    expect(typo.success).toBe(false);
    const bad = mergeSitePatch(current, { rateLimit: { burst: 0 } });
    expect(Object.keys(zodDetails(bad.error!))).toEqual(["rateLimit.burst"]);
  });
});

describe("TLS pass-through", () => {
  const passthrough = { name: "Vault", hostnames: ["vault.example.com"], tlsMode: "passthrough", upstreams: [{ url: "tcp://127.0.0.1:8443" }] };
  const problems = (input: unknown) => {
    const result = siteInputSchema.safeParse(input);
    return result.success ? {} : zodDetails(result.error);
  };

  it("takes tcp:// upstreams, the PROXY protocol, and terminates TLS unless told otherwise", () => {
    expect(siteInputSchema.parse({ ...passthrough, proxyProtocol: true })).toMatchObject({
      tlsMode: "passthrough",
      proxyProtocol: true,
      upstreams: [{ url: "tcp://127.0.0.1:8443", weight: 1 }],
      certificateId: null,
    });
    expect(siteInputSchema.parse({ ...passthrough, tlsMode: undefined, upstreams: [{ url: "http://127.0.0.1:8080" }] }).tlsMode).toBe("terminate");
  });

  it("needs tcp:// upstreams, and at least one", () => {
    expect(problems({ ...passthrough, upstreams: [{ url: "tcp://127.0.0.1:8443" }, { url: "https://127.0.0.1:8443" }] })).toEqual({
      "upstreams.1.url": expect.stringMatching(/write tcp:\/\/host:port/),
    });
    expect(problems({ ...passthrough, upstreams: [] })).toEqual({ upstreams: "Add at least one upstream server" });
    expect(problems({ ...passthrough, upstreams: [{ url: "tcp://127.0.0.1" }] })).toEqual({
      "upstreams.0.url": expect.stringMatching(/add the port/),
    });
  });

  it("refuses a certificate, routes, a redirect and HSTS, naming each field", () => {
    const refused = problems({
      ...passthrough,
      certificateId: "c1",
      routes: [{ pathPrefix: "/api", upstreams: [{ url: "tcp://127.0.0.1:9443" }] }],
      redirect: { to: "https://example.com", status: 301 },
      hsts: true,
    });
    expect(Object.keys(refused).sort()).toEqual(["certificateId", "hsts", "redirect", "routes"]);
    expect(refused.certificateId).toMatch(/choose no certificate/);
    expect(refused.redirect).toMatch(/cannot redirect/);
  });

  it("refuses tcp:// upstreams on a site that terminates TLS, in its routes too", () => {
    expect(
      problems({
        ...passthrough,
        tlsMode: "terminate",
        routes: [{ pathPrefix: "/api", upstreams: [{ url: "tcp://127.0.0.1:9443" }] }],
      }),
    ).toEqual({
      "upstreams.0.url": expect.stringMatching(/tcp:\/\/ upstreams are for pass-through sites/),
      "routes.0.upstreams.0.url": expect.stringMatching(/tcp:\/\/ upstreams are for pass-through sites/),
    });
  });

  it("sends the PROXY protocol only on pass-through connections", () => {
    expect(problems({ ...passthrough, tlsMode: "terminate", upstreams: [{ url: "http://127.0.0.1:8080" }], proxyProtocol: true })).toEqual({
      proxyProtocol: "The PROXY protocol is sent on pass-through connections only: turn on TLS pass-through first",
    });
  });

  it("a patch that turns pass-through on keeps the http:// upstreams saved, and says so", () => {
    const current = siteInputSchema.parse({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] });
    const merged = mergeSitePatch(current, { tlsMode: "passthrough" });
    expect(merged.success).toBe(false);
    expect(Object.keys(zodDetails(merged.error!))).toEqual(["upstreams.0.url"]);
    expect(mergeSitePatch(current, { tlsMode: "passthrough", upstreams: [{ url: "tcp://127.0.0.1:8443" }] }).success).toBe(true);
  });
});
