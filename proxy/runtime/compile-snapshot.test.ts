import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestCertificateFactory, type TestCertificate } from "@/test-support/certs";
import { testCertificate, testSite, testSnapshot } from "@/test-support/snapshots";
import { IpHash } from "../upstream/ip-hash";
import { LeastConnections } from "../upstream/least-connections";
import { compileChanges, compileSnapshot, type CompileSnapshotResult } from "./compile-snapshot";
import { snapshotChanges } from "@/lib/config/snapshot-changes";
import type { ProxyRuntime } from "./runtime-types";
import type { UnknownHost } from "@/lib/schemas/settings";
import { BasicAuthVerifier } from "../security/basic-auth";

const verifier = new BasicAuthVerifier();

let certs: TestCertificateFactory;
let alpha: TestCertificate;
let beta: TestCertificate;

beforeAll(() => {
  certs = new TestCertificateFactory();
  alpha = certs.selfSigned(["alpha.test"]);
  beta = certs.selfSigned(["beta.test"]);
});
afterAll(() => certs.cleanup());

function compiled(result: CompileSnapshotResult): { runtime: ProxyRuntime; siteErrors: Record<string, string> } {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result;
}

const twoSites = (revision: number) =>
  testSnapshot(
    revision,
    [
      testSite({ id: "a", hostnames: ["alpha.test"], upstreams: ["http://10.0.0.1:8080/app"], certificateId: "ca" }),
      testSite({ id: "b", hostnames: ["beta.test", "*.beta.test"], upstreams: ["https://backend.internal"], certificateId: "cb" }),
    ],
    [testCertificate("ca", alpha), testCertificate("cb", beta)],
  );

describe("compileSnapshot", () => {
  it("compiles every site: router, parsed upstreams, certificates", () => {
    const { runtime, siteErrors } = compiled(compileSnapshot(twoSites(1), { previous: null, verifier }));
    expect(siteErrors).toEqual({});
    expect(runtime.revision).toBe(1);
    expect(runtime.router.match("www.beta.test")?.id).toBe("b");

    const a = runtime.sites.get("a");
    expect(a?.upstreams[0]?.url.pathname).toBe("/app");
    expect(a?.upstreams[0]?.tlsServername).toBe(""); // an IP: no SNI
    expect(runtime.sites.get("b")?.upstreams[0]?.tlsServername).toBe("backend.internal");
    expect(a?.certificate?.id).toBe("ca");
    expect(runtime.sni.certificateFor("alpha.test")).toBe(a?.certificate);
  });

  it.each([
    ["not an object", "nope"],
    ["null", null],
    ["no revision", { sites: [], certificates: [] }],
    ["negative revision", { revision: -1, sites: [], certificates: [] }],
    ["sites not a list", { revision: 1, sites: {}, certificates: [] }],
    ["a site without id", { revision: 1, sites: [{ name: "x" }], certificates: [] }],
  ])("rejects a snapshot that is invalid as a whole: %s", (_name, input) => {
    const result = compileSnapshot(input, { previous: null, verifier });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/snapshot/);
  });

  it("reports a site whose certificate entry is malformed and keeps its previous version; other sites move on", () => {
    const deps = { verifier };
    const first = compiled(compileSnapshot(twoSites(1), { ...deps, previous: null }));
    const oldB = first.runtime.sites.get("b");

    const next = twoSites(2);
    next.certificates[1] = { id: "cb", domains: ["beta.test"] } as unknown as (typeof next.certificates)[number];
    // Site a also changes, to show that it is not held back by b.
    next.sites[0] = { ...next.sites[0]!, upstreams: [{ id: "a-new", url: "http://10.0.0.2:9090", weight: 1 }] };
    const second = compiled(compileSnapshot(next, { ...deps, previous: first.runtime }));

    expect(second.siteErrors).toEqual({ b: expect.stringMatching(/certificate .*previous configuration/) });
    expect(second.runtime.sites.get("b")).toBe(oldB);
    expect(second.runtime.sni.certificateFor("beta.test")).toBe(oldB?.certificate);
    expect(second.runtime.sites.get("a")?.upstreams[0]?.url.host).toBe("10.0.0.2:9090");
    expect(second.runtime.sites.get("a")?.revision).toBe(2);
  });

  it("leaves out a new site whose certificate entry is malformed or missing (it had no previous version)", () => {
    const snapshot = testSnapshot(
      1,
      [
        testSite({ id: "ok", hostnames: ["alpha.test"], upstreams: ["http://127.0.0.1:1"] }),
        testSite({ id: "bad", hostnames: ["beta.test"], upstreams: ["http://127.0.0.1:1"], certificateId: "broken" }),
        testSite({ id: "missing", hostnames: ["gamma.test"], upstreams: ["http://127.0.0.1:1"], certificateId: "nope" }),
      ],
      [{ ...testCertificate("broken", beta), version: "" }],
    );
    const { runtime, siteErrors } = compiled(compileSnapshot(snapshot, { previous: null, verifier }));
    expect(Object.keys(siteErrors).sort()).toEqual(["bad", "missing"]);
    expect(siteErrors.bad).toMatch(/The certificate for this site cannot be used/);
    expect(siteErrors.missing).toMatch(/missing/);
    expect([...runtime.sites.keys()]).toEqual(["ok"]);
    expect(runtime.router.match("beta.test")).toBeNull();
  });

  it("reports a single malformed site against that site only", () => {
    const snapshot = {
      revision: 3,
      sites: [
        testSite({ id: "good", hostnames: ["alpha.test"], upstreams: ["http://127.0.0.1:1"] }),
        { ...testSite({ id: "bad", hostnames: ["beta.test"], upstreams: ["http://127.0.0.1:1"] }), hostnames: [] },
      ],
      certificates: [],
    };
    const { runtime, siteErrors } = compiled(compileSnapshot(snapshot, { previous: null, verifier }));
    expect(siteErrors).toEqual({ bad: expect.stringMatching(/site's configuration is invalid: hostnames/) });
    expect(runtime.router.match("alpha.test")?.id).toBe("good");
  });

  it("keeps policy state when nothing changed, and renews the policy when upstreams change", () => {
    const deps = { verifier };
    const one = compiled(compileSnapshot(twoSites(1), { ...deps, previous: null })).runtime;
    const two = compiled(compileSnapshot(twoSites(2), { ...deps, previous: one })).runtime;
    expect(two.sites.get("a")?.certificate).toEqual(one.sites.get("a")?.certificate);
    expect(two.sites.get("a")?.policy).toBe(one.sites.get("a")?.policy);

    const changed = twoSites(3);
    changed.sites[0] = { ...changed.sites[0]!, upstreams: [{ id: "x", url: "http://10.0.0.9", weight: 2 }] };
    const three = compiled(compileSnapshot(changed, { ...deps, previous: two })).runtime;
    expect(three.sites.get("a")?.policy).not.toBe(two.sites.get("a")?.policy);
  });

  it("builds each site's load-balancing policy, keeps its state across reloads, and renews it when the policy changes", () => {
    const deps = { verifier };
    const snapshot = (revision: number, policy: "least_conn" | "ip_hash") =>
      testSnapshot(revision, [
        testSite({ id: "lb", hostnames: ["lb.test"], upstreams: ["http://10.0.0.1:8080", "http://10.0.0.2"], loadBalancing: { policy } }),
      ]);
    const one = compiled(compileSnapshot(snapshot(1, "least_conn"), { ...deps, previous: null })).runtime;
    const site = one.sites.get("lb");
    expect(site?.loadBalancing).toBe("least_conn");
    expect(site?.policy).toBeInstanceOf(LeastConnections);
    // The address is the URL as configured (not URL.href, which would add a "/"): health verdicts use it.
    expect(site?.upstreams.map((u) => u.address)).toEqual(["http://10.0.0.1:8080", "http://10.0.0.2"]);

    const two = compiled(compileSnapshot(snapshot(2, "least_conn"), { ...deps, previous: one })).runtime;
    expect(two.sites.get("lb")?.policy).toBe(site?.policy);
    const three = compiled(compileSnapshot(snapshot(3, "ip_hash"), { ...deps, previous: two })).runtime;
    expect(three.sites.get("lb")?.policy).toBeInstanceOf(IpHash);
  });

  it("drops sites removed from the snapshot", () => {
    const one = compiled(compileSnapshot(twoSites(1), { previous: null, verifier })).runtime;
    const onlyA = twoSites(2);
    onlyA.sites.pop();
    const two = compiled(compileSnapshot(onlyA, { previous: one, verifier })).runtime;
    expect([...two.sites.keys()]).toEqual(["a"]);
    expect(two.router.match("beta.test")).toBeNull();
  });
});

describe("compileChanges", () => {
  const changesFrom = (previous: ReturnType<typeof twoSites>, next: ReturnType<typeof twoSites>) => snapshotChanges(previous, next);

  it("compiles only the sites the changes touch, and takes the others over as they are", () => {
    const before = twoSites(1);
    const one = compiled(compileSnapshot(before, { previous: null, verifier })).runtime;
    const after = { ...before, revision: 2, sites: [{ ...before.sites[0]!, forceHttps: true }, before.sites[1]!] };
    const changes = changesFrom(before, after);
    expect(changes.sites.map((site) => site.id)).toEqual(["a"]);

    const two = compileChanges(changes, { previous: one, verifier });
    if (two === "stale" || !two.ok) throw new Error(`expected success, got ${JSON.stringify(two)}`);
    expect(two.runtime.revision).toBe(2);
    expect(two.runtime.sites.get("a")?.forceHttps).toBe(true);
    expect(two.runtime.sites.get("a")).not.toBe(one.sites.get("a"));
    expect(two.runtime.sites.get("b")).toBe(one.sites.get("b"));
    expect(two.runtime.router.match("www.beta.test")?.id).toBe("b");
  });

  it("compiles a site again when its certificate changed, and drops removed sites", () => {
    const before = twoSites(1);
    const one = compiled(compileSnapshot(before, { previous: null, verifier })).runtime;
    const renewedAlpha = testCertificate("ca", certs.selfSigned(["alpha.test"]));
    const after = { ...before, revision: 2, sites: [before.sites[0]!], certificates: [renewedAlpha] };
    const changes = changesFrom(before, after);
    expect([changes.certificates.map((each) => each.id), changes.removedSites, changes.removedCertificates]).toEqual([["ca"], ["b"], ["cb"]]);

    const two = compileChanges(changes, { previous: one, verifier });
    if (two === "stale" || !two.ok) throw new Error(`expected success, got ${JSON.stringify(two)}`);
    expect(two.runtime.sites.get("a")?.certificate?.version).toBe(renewedAlpha.version);
    expect([...two.runtime.sites.keys()]).toEqual(["a"]);
    expect(two.runtime.router.match("beta.test")).toBeNull();
  });

  it("reports one malformed changed site against that site, and says stale for changes to another snapshot", () => {
    const before = twoSites(1);
    const one = compiled(compileSnapshot(before, { previous: null, verifier })).runtime;
    const changes = changesFrom(before, { ...before, revision: 2, sites: [{ ...before.sites[0]!, upstreams: [] }, before.sites[1]!] });
    const two = compileChanges(changes, { previous: one, verifier });
    if (two === "stale" || !two.ok) throw new Error(`expected success, got ${JSON.stringify(two)}`);
    expect(Object.keys(two.siteErrors)).toEqual(["a"]);
    expect(two.runtime.sites.get("a")).toBe(one.sites.get("a"));

    expect(compileChanges({ ...changes, base: 7 }, { previous: one, verifier })).toBe("stale");
    expect(compileChanges(changes, { previous: null, verifier })).toBe("stale");
    expect(compileChanges({ base: 1 }, { previous: one, verifier })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/changes are invalid/),
    });
  });
});

describe("compileSnapshot: protection", () => {
  const acl = { id: "acl1", name: "Office", allow: ["10.0.0.0/8"], deny: [], satisfy: "all" as const, users: [] };
  const guarded = (revision: number, rateLimit: { requestsPerSecond: number; burst: number } | null, accessLists = [acl]) =>
    testSnapshot(revision, [testSite({ id: "a", hostnames: ["a.test"], upstreams: ["http://127.0.0.1:1"], accessListId: "acl1", rateLimit })], [], {
      accessLists,
      trustedProxies: ["198.51.100.0/24"],
    });
  const deps = (previous: ProxyRuntime | null) => ({ previous, verifier });

  it("compiles the access list, the limits and the trusted proxies", () => {
    const result = compileSnapshot(guarded(1, { requestsPerSecond: 5, burst: 10 }), deps(null));
    if (!result.ok) throw new Error(result.error);
    const site = result.runtime.sites.get("a")!;
    expect(site.protection.accessList?.judge("10.1.1.1", undefined)).toEqual({ outcome: "pass" });
    expect(site.protection.accessList?.judge("192.0.2.1", undefined)).toEqual({ outcome: "forbidden" });
    expect(site.protection.rateLimiter?.policy).toEqual({ requestsPerSecond: 5, burst: 10 });
    expect(result.runtime.trustedProxies.has("198.51.100.9")).toBe(true);
  });

  it("keeps a site's rate-limit counters across a reload that does not change its limits", () => {
    const first = compileSnapshot(guarded(1, { requestsPerSecond: 5, burst: 10 }), deps(null));
    if (!first.ok) throw new Error(first.error);
    const same = compileSnapshot(guarded(2, { requestsPerSecond: 5, burst: 10 }), deps(first.runtime));
    const changed = compileSnapshot(guarded(3, { requestsPerSecond: 6, burst: 10 }), deps(first.runtime));
    if (!same.ok || !changed.ok) throw new Error("compile failed");
    const limiter = first.runtime.sites.get("a")!.protection.rateLimiter;
    expect(same.runtime.sites.get("a")!.protection.rateLimiter).toBe(limiter);
    expect(changed.runtime.sites.get("a")!.protection.rateLimiter).not.toBe(limiter);
  });

  it("compiles a site again when its access list changes, though the site itself did not", () => {
    const first = compileSnapshot(guarded(1, null), deps(null));
    if (!first.ok) throw new Error(first.error);
    const widened = compileSnapshot(guarded(2, null, [{ ...acl, allow: ["10.0.0.0/8", "192.0.2.0/24"] }]), deps(first.runtime));
    if (!widened.ok) throw new Error(widened.error);
    expect(widened.runtime.sites.get("a")?.protection.accessList?.judge("192.0.2.1", undefined)).toEqual({ outcome: "pass" });
  });

  it("never serves a site without its access list: it fails, keeping its previous version if any", () => {
    const fresh = compileSnapshot(guarded(1, null, []), deps(null));
    if (!fresh.ok) throw new Error(fresh.error);
    expect(fresh.runtime.sites.has("a")).toBe(false);
    expect(fresh.siteErrors.a).toBe("The access list chosen for this site is missing from the configuration.");

    const good = compileSnapshot(guarded(1, null), deps(null));
    if (!good.ok) throw new Error(good.error);
    const broken = compileSnapshot(guarded(2, null, []), deps(good.runtime));
    if (!broken.ok) throw new Error(broken.error);
    expect(broken.runtime.sites.get("a")?.protection.accessList).not.toBeNull();
  });

  it("believes no forwarded headers when the trusted list is damaged", () => {
    const snapshot = { ...guarded(1, null), trustedProxies: ["10.0.0.0/8", "not an address"] };
    const result = compileSnapshot(snapshot, deps(null));
    if (!result.ok) throw new Error(result.error);
    expect(result.runtime.trustedProxies.size).toBe(0);
    expect(result.runtime.sites.has("a")).toBe(true);
  });

  it("answers unknown hosts with a 404 when that setting is damaged, and serves the sites", () => {
    const redirect = compileSnapshot({ ...guarded(1, null), unknownHost: { action: "redirect", redirectTo: "https://example.com/" } }, deps(null));
    if (!redirect.ok) throw new Error(redirect.error);
    expect(redirect.runtime.unknownHost).toEqual({ action: "redirect", redirectTo: "https://example.com/" });
    const damaged = compileSnapshot({ ...guarded(1, null), unknownHost: { action: "redirect" } as UnknownHost }, deps(null));
    if (!damaged.ok) throw new Error(damaged.error);
    expect(damaged.runtime.unknownHost).toEqual({ action: "not_found" });
    expect(damaged.runtime.sites.has("a")).toBe(true);
  });
});

describe("compileSnapshot: routes and redirection hosts", () => {
  const redirect = { to: "https://new.example.com", status: 301 as const, preservePath: true };

  it("compiles a redirection host without upstreams; a site with neither upstreams nor a redirect fails", () => {
    const { runtime, siteErrors } = compiled(
      compileSnapshot(
        testSnapshot(1, [
          testSite({ id: "moved", hostnames: ["moved.test"], upstreams: [], redirect }),
          testSite({ id: "empty", hostnames: ["empty.test"], upstreams: [] }),
        ]),
        { previous: null, verifier },
      ),
    );
    expect(runtime.sites.get("moved")?.redirect).toEqual(redirect);
    expect(siteErrors).toEqual({ empty: "The site has no upstream servers." });
  });

  it("keeps a route's load-balancing state by the route's id across edits, and renews it when the route's upstreams change", () => {
    const snapshot = (revision: number, name: string, apiUrl: string) =>
      testSnapshot(revision, [
        testSite({
          id: "s",
          name,
          hostnames: ["s.test"],
          upstreams: ["http://10.0.0.1"],
          routes: [
            { id: "api", pathPrefix: "/api", headers: {}, stripPrefix: false, addPrefix: "", upstreams: [{ id: "api-u", url: apiUrl, weight: 1 }] },
            {
              id: "web",
              pathPrefix: "/web",
              headers: {},
              stripPrefix: false,
              addPrefix: "",
              upstreams: [{ id: "web-u", url: "http://10.0.0.3", weight: 1 }],
            },
          ],
        }),
      ]);
    const groups = (runtime: ProxyRuntime) =>
      runtime.sites.get("s")!.routes.map((route) => (route.action.kind === "upstreams" ? route.action.group : null));
    const one = compiled(compileSnapshot(snapshot(1, "one", "http://10.0.0.2"), { previous: null, verifier })).runtime;
    const two = compiled(compileSnapshot(snapshot(2, "renamed", "http://10.0.0.2"), { previous: one, verifier })).runtime;
    expect(two.sites.get("s")?.name).toBe("renamed");
    expect(groups(two)[0]!.policy).toBe(groups(one)[0]!.policy);
    expect(groups(two)[0]!.policy).not.toBe(groups(two)[1]!.policy);
    const three = compiled(compileSnapshot(snapshot(3, "renamed", "http://10.0.0.9"), { previous: two, verifier })).runtime;
    expect(groups(three)[0]!.policy).not.toBe(groups(two)[0]!.policy);
    expect(groups(three)[1]!.policy).toBe(groups(two)[1]!.policy);
  });

  it("fails the site when a route's upstream address is unusable, keeping its previous version", () => {
    const site = (url: string) =>
      testSite({
        id: "s",
        hostnames: ["s.test"],
        upstreams: ["http://10.0.0.1"],
        routes: [{ id: "api", pathPrefix: "/api", headers: {}, stripPrefix: false, addPrefix: "", upstreams: [{ id: "api-u", url, weight: 1 }] }],
      });
    const one = compiled(compileSnapshot(testSnapshot(1, [site("http://10.0.0.2")]), { previous: null, verifier })).runtime;
    const two = compiled(compileSnapshot(testSnapshot(2, [site("ftp://10.0.0.2")]), { previous: one, verifier }));
    expect(two.siteErrors.s).toMatch(/^The route for \/api: The upstream address "ftp:\/\/10\.0\.0\.2" must start with http:\/\/ or https:\/\/\./);
    expect(two.runtime.sites.get("s")).toBe(one.sites.get("s"));
  });
});
