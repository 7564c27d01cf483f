import { describe, expect, it } from "vitest";
import { buildSnapshot, SnapshotParts, type SnapshotSiteRow } from "./build-snapshot";
import { snapshotChanges } from "./snapshot-changes";
import { defaultSecurityHeaders, noCustomHeaders } from "../schemas/site-security";
import { siteFields } from "../schemas/site";
import { siteColumns } from "../services/site-mapper";

const site = (id: string, overrides: Partial<SnapshotSiteRow> = {}): SnapshotSiteRow => ({
  ...siteColumns(siteFields.parse({ name: `Site ${id}`, hostnames: [`${id}.test`], upstreams: [], blockExploits: false, securityHeaders: null })),
  id,
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
  updatedAt: new Date(1_000),
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
    expect(snapshot.sites[0]).toMatchObject({
      accessListId: "list-1",
      rateLimit,
      blockExploits: true,
      securityHeaders,
      customHeaders,
      tlsPolicy: "modern",
    });
  });

  it("serves the safe defaults when a stored value no longer parses", () => {
    const row = site("s", {
      rateLimit: "{not json",
      securityHeaders: JSON.stringify({ frameOptions: "ALLOW" }),
      customHeaders: "[]",
      tlsPolicy: "ancient",
    });
    const { snapshot } = buildSnapshot(1, [row], []);
    expect(snapshot.sites[0]).toMatchObject({
      rateLimit: null,
      securityHeaders: defaultSecurityHeaders,
      customHeaders: noCustomHeaders,
      tlsPolicy: "intermediate",
    });
  });

  it("carries the trusted proxies", () => {
    expect(buildSnapshot(1, [], [], [], ["10.0.0.0/8", "2001:db8::/32"]).snapshot.trustedProxies).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
    expect(buildSnapshot(1, [], []).snapshot.trustedProxies).toEqual([]);
  });
});

describe("SnapshotParts: what was read is kept across builds", () => {
  it("parses a site again only when its revision moved, and forgets sites that are gone or disabled", () => {
    const parts = new SnapshotParts();
    parts.putSites([site("a"), site("b"), site("c")]);
    const first = parts.build(1, [], []).snapshot;

    // Same revision: the earlier parse is served, even though the row now says otherwise.
    parts.putSites([site("a", { forceHttps: true })]);
    expect(parts.build(2, [], []).snapshot.sites[0]).toBe(first.sites[0]);
    // A save moves the site's revision: parsed again.
    parts.putSites([site("a", { forceHttps: true, revision: 3 }), site("c", { enabled: false, revision: 3 })]);
    parts.keepSites(new Set(["a", "c"]));
    const saved = parts.build(3, [], []).snapshot;
    expect(saved.sites.map((s) => [s.id, s.forceHttps])).toEqual([["a", true]]);
  });

  it("keeps a site's error until the site is saved again", () => {
    const parts = new SnapshotParts();
    parts.putSites([site("bad", { upstreams: [{ id: "u", url: "not a url", weight: 1, position: 0 }] })]);
    expect(Object.keys(parts.build(1, [], []).siteErrors)).toEqual(["bad"]);
    expect(Object.keys(parts.build(2, [], []).siteErrors)).toEqual(["bad"]);
    parts.putSites([site("bad", { revision: 2 })]);
    const fixed = parts.build(2, [], []);
    expect([fixed.siteErrors, fixed.snapshot.sites.map((s) => s.id)]).toEqual([{}, ["bad"]]);
  });

  it("reads a certificate again only when its write time moved", () => {
    const parts = new SnapshotParts();
    parts.putSites([site("s", { certificateId: "c" })]);
    parts.putCertificates([certificate("c")]);
    expect(parts.certificateStale("c", new Date(1_000))).toBe(false);
    expect(parts.certificateStale("c", new Date(2_000))).toBe(true);
    expect(parts.certificateStale("other", new Date(1_000))).toBe(true);
    const before = parts.build(1, [], []).snapshot.certificates[0]!.version;
    parts.putCertificates([{ ...certificate("c"), privateKeyEnc: "renewed", updatedAt: new Date(2_000) }]);
    expect(parts.build(2, [], []).snapshot.certificates[0]!.version).not.toBe(before);
    parts.keepCertificates(new Set());
    expect(parts.build(3, [], []).snapshot.certificates).toEqual([]);
  });
});

describe("the snapshot's hash", () => {
  it("ignores the revision number and the order rows came in, but not the content", () => {
    const base = buildSnapshot(1, [site("s"), site("t")], []);
    expect(buildSnapshot(2, [site("t"), site("s")], []).hash).toBe(base.hash);
    expect(buildSnapshot(1, [site("s", { forceHttps: true }), site("t")], []).hash).not.toBe(base.hash);
    const withCertificate = buildSnapshot(1, [site("s", { certificateId: "c" }), site("t")], [certificate("c")]);
    const renewed = buildSnapshot(1, [site("s", { certificateId: "c" }), site("t")], [{ ...certificate("c"), chainPem: "chain" }]);
    expect(renewed.hash).not.toBe(withCertificate.hash);
    expect(buildSnapshot(1, [site("s"), site("t")], [], [], ["10.0.0.0/8"]).hash).not.toBe(base.hash);
    expect(buildSnapshot(1, [site("s"), site("t")], [], [], [], { action: "drop" }).hash).not.toBe(base.hash);
  });
});

describe("snapshotChanges: what workers are sent after a save", () => {
  it("holds only what changed: a saved site, a renewed certificate, a removed site", () => {
    const parts = new SnapshotParts();
    parts.putSites([site("a", { certificateId: "c" }), site("b"), site("gone")]);
    parts.putCertificates([certificate("c")]);
    const first = parts.build(1, [], []).snapshot;

    parts.putSites([site("b", { forceHttps: true, revision: 2 })]);
    parts.keepSites(new Set(["a", "b"]));
    const second = parts.build(2, [], [], { action: "drop" }).snapshot;
    expect(snapshotChanges(first, second)).toEqual({
      base: 1,
      revision: 2,
      sites: [second.sites[1]],
      removedSites: ["gone"],
      certificates: [],
      removedCertificates: [],
      accessLists: [],
      streams: [],
      trustedProxies: [],
      unknownHost: { action: "drop" },
    });

    // A renewal moves the revision of the sites it serves, though they stay the same: only the certificate goes.
    parts.putSites([site("a", { certificateId: "c", revision: 3 })]);
    parts.putCertificates([certificate("c"), { ...certificate("c"), chainPem: "renewed", updatedAt: new Date(2_000) }]);
    const third = parts.build(3, [], []).snapshot;
    const changes = snapshotChanges(second, third);
    expect([changes.sites, changes.certificates.map((each) => each.id)]).toEqual([[], ["c"]]);
  });
});
