import { describe, expect, it } from "vitest";
import type { SnapshotStream } from "@/lib/schemas/snapshot";
import { defaultStreamHealthCheck } from "@/lib/schemas/stream-options";
import { defaultHealthCheck } from "@/lib/schemas/upstream-health";
import { testSite, testSnapshot } from "@/test-support/snapshots";
import { healthTargets, settingsKey } from "./health-targets";

const strict = { ...defaultHealthCheck, path: "/healthz", intervalSeconds: 3, timeoutSeconds: 2, expectedStatus: "200" };

describe("health targets", () => {
  it("checks each site's upstream with its own site's settings: a shared address with other settings is another check", () => {
    const { checks, checkOf, inUse } = healthTargets(
      testSnapshot(1, [
        testSite({ id: "b", name: "Blog", hostnames: ["b.test"], upstreams: ["http://10.0.0.1:80", "https://10.0.0.2"], verifyUpstreamTls: false }),
        testSite({ id: "a", name: "App", hostnames: ["a.test"], upstreams: ["http://10.0.0.1:80/app", "http://10.0.0.1:80"], healthCheck: strict }),
      ]),
    );
    expect([...inUse].sort()).toEqual(["a-u0", "a-u1", "b-u0", "b-u1"]);
    expect(checks.size).toBe(4);
    const appCheck = checks.get(checkOf.get("a-u1")!)!;
    expect(appCheck).toEqual({
      key: checkOf.get("a-u1"),
      address: "http://10.0.0.1:80",
      settings: {
        url: "http://10.0.0.1:80",
        path: "/healthz",
        intervalMs: 3_000,
        timeoutMs: 2_000,
        expectedStatus: { from: 200, to: 200 },
        healthyThreshold: 2,
        unhealthyThreshold: 3,
        verifyTls: true,
      },
      upstreamIds: ["a-u1"],
      siteIds: ["a"],
      siteNames: ["App"],
    });
    const blogCheck = checks.get(checkOf.get("b-u0")!)!;
    expect(blogCheck.address).toBe("http://10.0.0.1:80");
    expect(blogCheck.settings).toMatchObject({ path: "/", expectedStatus: { from: 200, to: 399 }, verifyTls: false });
    expect(blogCheck.upstreamIds).toEqual(["b-u0"]);
  });

  it("shares one check between sites that check an address the same way, and leaves out sites with checks off", () => {
    const off = { ...defaultHealthCheck, enabled: false };
    const { checks, checkOf, inUse } = healthTargets(
      testSnapshot(1, [
        testSite({ id: "c", name: "Off", hostnames: ["c.test"], upstreams: ["http://10.0.0.1", "http://10.0.0.9"], healthCheck: off }),
        testSite({ id: "b", name: "Blog", hostnames: ["b.test"], upstreams: ["http://10.0.0.1"], healthCheck: strict }),
        testSite({ id: "a", name: "App", hostnames: ["a.test"], upstreams: ["http://10.0.0.1"], healthCheck: strict }),
      ]),
    );
    expect(checks.size).toBe(1);
    expect([...checks.values()][0]).toMatchObject({ upstreamIds: ["a-u0", "b-u0"], siteIds: ["a", "b"], siteNames: ["App", "Blog"] });
    expect(checkOf.has("c-u0")).toBe(false);
    expect(inUse.has("c-u1")).toBe(true);
  });

  it("tells settings apart by everything that changes the check", () => {
    const { checks } = healthTargets(testSnapshot(1, [testSite({ id: "a", hostnames: ["a.test"], upstreams: ["http://10.0.0.1"] })]));
    const settings = [...checks.values()][0]!.settings;
    expect(settingsKey({ ...settings })).toBe(settingsKey(settings));
    expect(settingsKey({ ...settings, url: "http://10.0.0.2" })).not.toBe(settingsKey(settings));
    expect(settingsKey({ ...settings, path: "/other" })).not.toBe(settingsKey(settings));
    expect(settingsKey({ ...settings, verifyTls: false })).not.toBe(settingsKey(settings));
    expect(settingsKey({ ...settings, expectedStatus: { from: 200, to: 200 } })).not.toBe(settingsKey(settings));
  });
});

describe("health targets: routes", () => {
  it("checks a route's upstreams with its site's settings and counts them in use", () => {
    const off = { ...defaultHealthCheck, enabled: false };
    const route = (id: string, url: string) => ({
      id,
      pathPrefix: "/api",
      headers: {},
      stripPrefix: false,
      addPrefix: "",
      upstreams: [{ id: `${id}-u`, url, weight: 1 }],
    });
    const { checks, checkOf, inUse } = healthTargets(
      testSnapshot(1, [
        testSite({
          id: "a",
          hostnames: ["a.test"],
          upstreams: ["http://10.0.0.1"],
          healthCheck: strict,
          routes: [route("ra", "http://10.0.0.2/v1")],
        }),
        testSite({ id: "b", hostnames: ["b.test"], upstreams: ["http://10.0.0.1"], healthCheck: off, routes: [route("rb", "http://10.0.0.3")] }),
      ]),
    );
    expect([...inUse].sort()).toEqual(["a-u0", "b-u0", "ra-u", "rb-u"]);
    expect(checks.get(checkOf.get("ra-u")!)).toMatchObject({
      address: "http://10.0.0.2/v1",
      settings: { path: "/healthz", intervalMs: 3_000 },
      upstreamIds: ["ra-u"],
      siteIds: ["a"],
    });
    expect(checkOf.has("rb-u")).toBe(false);
  });

  it("checks tcp:// upstreams of pass-through sites and streams by connecting, shared between them; udp:// ones not at all", () => {
    const { checks, checkOf, inUse } = healthTargets(
      testSnapshot(
        1,
        [
          testSite({
            id: "p",
            name: "Passed",
            hostnames: ["p.test"],
            tlsMode: "passthrough",
            upstreams: ["tcp://127.0.0.1:8443"],
            healthCheck: { ...strict, intervalSeconds: 10, timeoutSeconds: 5 },
          }),
        ],
        [],
        {
          streams: [
            stream("s", "Mail", ["tcp://127.0.0.1:8443", "udp://127.0.0.1:53", "tcp://[::1]:25"]),
            stream("off", "Quiet", ["tcp://127.0.0.1:26"], { ...defaultStreamHealthCheck, enabled: false }),
          ],
        },
      ),
    );
    expect([...inUse].sort()).toEqual(["off-u0", "p-u0", "s-u0", "s-u1", "s-u2"]);
    const shared = checks.get(checkOf.get("s-u0")!)!;
    expect(checkOf.get("p-u0")).toBe(shared.key);
    expect(shared).toMatchObject({
      address: "tcp://127.0.0.1:8443",
      settings: { url: "tcp://127.0.0.1:8443", path: "", intervalMs: 10_000, timeoutMs: 5_000, verifyTls: false },
      upstreamIds: ["p-u0", "s-u0"],
      siteIds: ["p", "s"],
      siteNames: ["Passed", "Mail"],
    });
    expect(checks.get(checkOf.get("s-u2")!)!.settings.url).toBe("tcp://[::1]:25");
    expect(checkOf.has("s-u1")).toBe(false);
    expect(checkOf.has("off-u0")).toBe(false);
    expect(checks.size).toBe(2);
  });
});

function stream(id: string, name: string, urls: string[], healthCheck = defaultStreamHealthCheck): SnapshotStream {
  return {
    id,
    name,
    protocol: "both",
    listenPort: 10_000,
    upstreams: urls.map((url, index) => ({ id: `${id}-u${index}`, url, weight: 1 })),
    loadBalancing: { policy: "round_robin" },
    healthCheck,
    accessListId: null,
    idleTimeoutSeconds: 600,
    proxyProtocol: false,
  };
}
