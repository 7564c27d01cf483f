import { describe, expect, it } from "vitest";
import { defaultHealthCheck } from "../../lib/schemas/upstream-health";
import { testSite, testSnapshot } from "../../test-support/snapshots";
import { healthTargets, settingsKey } from "./health-targets";

describe("health targets", () => {
  it("checks a shared address once, with the first site's settings by id, under every site", () => {
    const { checked, inUse } = healthTargets(
      testSnapshot(1, [
        testSite({ id: "b", name: "Blog", hostnames: ["b.test"], upstreams: ["http://10.0.0.1:80", "https://10.0.0.2"], verifyUpstreamTls: false }),
        testSite({
          id: "a",
          name: "App",
          hostnames: ["a.test"],
          upstreams: ["http://10.0.0.1:80/app", "http://10.0.0.1:80"],
          healthCheck: { ...defaultHealthCheck, path: "/healthz", intervalSeconds: 3, timeoutSeconds: 2, expectedStatus: "200" },
        }),
      ]),
    );
    expect([...inUse].sort()).toEqual(["http://10.0.0.1:80", "http://10.0.0.1:80/app", "https://10.0.0.2"]);
    expect(checked.get("http://10.0.0.1:80")).toEqual({
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
      siteIds: ["a", "b"],
      siteNames: ["App", "Blog"],
    });
    expect(checked.get("https://10.0.0.2")?.settings).toMatchObject({ path: "/", expectedStatus: { from: 200, to: 399 }, verifyTls: false });
    expect(checked.get("http://10.0.0.1:80/app")?.siteIds).toEqual(["a"]);
  });

  it("leaves out sites with checks off, but reports a shared address under them too", () => {
    const off = { ...defaultHealthCheck, enabled: false };
    const { checked, inUse } = healthTargets(
      testSnapshot(1, [
        testSite({ id: "a", hostnames: ["a.test"], upstreams: ["http://10.0.0.1", "http://10.0.0.9"], healthCheck: off }),
        testSite({ id: "b", hostnames: ["b.test"], upstreams: ["http://10.0.0.1"] }),
      ]),
    );
    expect([...checked.keys()]).toEqual(["http://10.0.0.1"]);
    expect(checked.get("http://10.0.0.1")?.siteIds).toEqual(["a", "b"]);
    expect(inUse.has("http://10.0.0.9")).toBe(true);
  });

  it("tells settings apart by everything that changes the check", () => {
    const { checked } = healthTargets(testSnapshot(1, [testSite({ id: "a", hostnames: ["a.test"], upstreams: ["http://10.0.0.1"] })]));
    const settings = checked.get("http://10.0.0.1")!.settings;
    expect(settingsKey({ ...settings })).toBe(settingsKey(settings));
    expect(settingsKey({ ...settings, path: "/other" })).not.toBe(settingsKey(settings));
    expect(settingsKey({ ...settings, verifyTls: false })).not.toBe(settingsKey(settings));
    expect(settingsKey({ ...settings, expectedStatus: { from: 200, to: 200 } })).not.toBe(settingsKey(settings));
  });
});
