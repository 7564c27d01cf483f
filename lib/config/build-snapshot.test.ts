import { describe, expect, it } from "vitest";
import { buildSnapshot, snapshotHash, type ParsedSites, type SnapshotSiteRow } from "./build-snapshot";
import { defaultSecurityHeaders, noCustomHeaders } from "../schemas/site-security";

const site = (id: string, overrides: Partial<SnapshotSiteRow> = {}): SnapshotSiteRow => ({
  id,
  name: `Site ${id}`,
  enabled: true,
  certificateId: null,
  forceHttps: false,
  hsts: false,
  websockets: true,
  passiveHealthCountsServerErrors: false,
  preserveHost: true,
  verifyUpstreamTls: true,
  lbPolicy: "round_robin",
  hcEnabled: true,
  hcPath: "/",
  hcIntervalSeconds: 10,
  hcTimeoutSeconds: 5,
  hcExpectedStatus: "200-399",
  hcHealthyThreshold: 2,
  hcUnhealthyThreshold: 3,
  accessListId: null,
  rateLimit: null,
  blockExploits: false,
  securityHeaders: null,
  customHeaders: "{}",
  tlsPolicy: "intermediate",
  revision: 1,
  hostnames: [
    { hostname: `b.${id}.test`, position: 1 },
    { hostname: `a.${id}.test`, position: 0 },
  ],
  upstreams: [{ id: `u-${id}`, url: "http://127.0.0.1:8080", weight: 1, position: 0 }],
  ...overrides,
});

const certificate = (id: string) => ({
  id,
  domains: JSON.stringify([`${id}.test`]),
  certificatePem: `cert ${id}`,
  chainPem: "",
  privateKeyEnc: `sealed key ${id}`,
});

describe("buildSnapshot", () => {
  it("keeps hostnames and upstreams in the order the user gave them", () => {
    const { snapshot } = buildSnapshot(3, [site("s1")], []);
    expect(snapshot.revision).toBe(3);
    expect(snapshot.sites[0]?.hostnames).toEqual(["a.s1.test", "b.s1.test"]);
    expect(snapshot.sites[0]?.upstreams).toEqual([{ id: "u-s1", url: "http://127.0.0.1:8080", weight: 1 }]);
  });

  it("leaves disabled sites out, and the certificates only they used", () => {
    const { snapshot } = buildSnapshot(
      1,
      [site("on", { certificateId: "c-on" }), site("off", { enabled: false, certificateId: "c-off" })],
      [certificate("c-on"), certificate("c-off"), certificate("c-unused")],
    );
    expect(snapshot.sites.map((s) => s.id)).toEqual(["on"]);
    expect(snapshot.certificates.map((c) => c.id)).toEqual(["c-on"]);
    expect(snapshot.certificates[0]?.domains).toEqual(["c-on.test"]);
  });

  it("carries which version of a certificate it is, never its key", () => {
    const { snapshot } = buildSnapshot(1, [site("s", { certificateId: "c" })], [certificate("c")]);
    const carried = snapshot.certificates[0]!;
    expect(Object.keys(carried).sort()).toEqual(["domains", "fingerprint256", "id", "version"]);
    expect(JSON.stringify(snapshot)).not.toContain("sealed key");
    const renewed = buildSnapshot(1, [site("s", { certificateId: "c" })], [{ ...certificate("c"), privateKeyEnc: "another sealed key" }]);
    expect(renewed.snapshot.certificates[0]?.version).not.toBe(carried.version);
  });

  it("leaves out one site with unusable rows and reports it, keeping the others", () => {
    const broken = site("bad", { upstreams: [{ id: "u", url: "not a url", weight: 1, position: 0 }] });
    const { snapshot, siteErrors } = buildSnapshot(1, [site("good"), broken], []);
    expect(snapshot.sites.map((s) => s.id)).toEqual(["good"]);
    expect(Object.keys(siteErrors)).toEqual(["bad"]);
    expect(siteErrors.bad).toMatch(/^Stored settings are invalid/);
  });

  it("is deterministic whatever order the rows arrive in", () => {
    const one = buildSnapshot(1, [site("x"), site("y")], []).snapshot;
    const two = buildSnapshot(1, [site("y"), site("x")], []).snapshot;
    expect(two).toEqual(one);
  });
});

describe("buildSnapshot: security settings", () => {
  it("carries each site's security settings, parsed from their columns", () => {
    const rateLimit = { requestsPerSecond: 5, burst: 10, maxConnectionsPerIp: 3 };
    const securityHeaders = { ...defaultSecurityHeaders, frameOptions: "DENY" };
    const customHeaders = { ...noCustomHeaders, responseSet: [{ name: "x-team", value: "web" }] };
    const row = site("s", {
      accessListId: "list-1",
      rateLimit: JSON.stringify(rateLimit),
      blockExploits: true,
      securityHeaders: JSON.stringify(securityHeaders),
      customHeaders: JSON.stringify(customHeaders),
      tlsPolicy: "modern",
    });
    const { snapshot, siteErrors } = buildSnapshot(1, [row], []);
    expect(siteErrors).toEqual({});
    expect(snapshot.sites[0]).toMatchObject({ accessListId: "list-1", rateLimit, blockExploits: true, securityHeaders, customHeaders, tlsPolicy: "modern" });
  });

  it("serves the safe defaults when a stored value no longer parses", () => {
    const row = site("s", {
      rateLimit: "{not json",
      securityHeaders: JSON.stringify({ frameOptions: "ALLOW" }),
      customHeaders: "[]",
      tlsPolicy: "ancient",
    });
    const { snapshot } = buildSnapshot(1, [row], []);
    expect(snapshot.sites[0]).toMatchObject({ rateLimit: null, securityHeaders: defaultSecurityHeaders, customHeaders: noCustomHeaders, tlsPolicy: "intermediate" });
  });

  it("carries the trusted proxies", () => {
    expect(buildSnapshot(1, [], [], [], ["10.0.0.0/8", "2001:db8::/32"]).snapshot.trustedProxies).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
    expect(buildSnapshot(1, [], []).snapshot.trustedProxies).toEqual([]);
  });
});

describe("buildSnapshot: parsed sites kept across builds", () => {
  it("parses a site again only when its revision moved, and forgets sites that are gone", () => {
    const parsed: ParsedSites = new Map();
    const first = buildSnapshot(1, [site("a"), site("b")], [], [], [], parsed).snapshot;
    expect([...parsed.keys()]).toEqual(["a", "b"]);

    // Same revision: the earlier parse is served, even though the row now says otherwise.
    const unchanged = buildSnapshot(2, [site("a", { forceHttps: true }), site("b")], [], [], [], parsed).snapshot;
    expect(unchanged.sites[0]).toBe(first.sites[0]);
    // A save moves the site's revision: parsed again.
    const saved = buildSnapshot(3, [site("a", { forceHttps: true, revision: 3 })], [], [], [], parsed).snapshot;
    expect(saved.sites[0]?.forceHttps).toBe(true);
    expect([...parsed.keys()]).toEqual(["a"]);
  });
});

describe("snapshotHash", () => {
  it("ignores the revision number but not the content", () => {
    const base = buildSnapshot(1, [site("s")], []).snapshot;
    expect(snapshotHash({ ...base, revision: 2 })).toBe(snapshotHash(base));
    const changed = buildSnapshot(1, [site("s", { forceHttps: true, certificateId: "c" })], []).snapshot;
    expect(snapshotHash(changed)).not.toBe(snapshotHash(base));
  });
});
