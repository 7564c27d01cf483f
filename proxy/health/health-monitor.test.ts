import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { SnapshotSite, SnapshotStream } from "@/lib/schemas/snapshot";
import { defaultStreamHealthCheck } from "@/lib/schemas/stream-options";
import { defaultHealthCheck, type HealthCheck } from "@/lib/schemas/upstream-health";
import { useTempDatabase } from "@/test-support/database";
import { eventually } from "@/test-support/proxy-process";
import { testSite, testSnapshot } from "@/test-support/snapshots";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";
import type { UpstreamNotificationEvent } from "./health-notifier";
import { HealthMonitor, type UpstreamHealthStates } from "./health-monitor";
import { HealthRecorder } from "./health-recorder";
import { NotificationDebouncer } from "./notification-debouncer";

let cleanup: () => Promise<void>;
let backend: SwitchableBackend;
let monitor: HealthMonitor;
let recorder: HealthRecorder;
let broadcasts: UpstreamHealthStates[];
/** How many requests the backend had seen at each broadcast. */
let requestsAtBroadcast: number[];
let events: UpstreamNotificationEvent[];
let revision = 0;

beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  backend = await startSwitchableBackend("checked");
  broadcasts = [];
  requestsAtBroadcast = [];
  events = [];
  const logger = pino({ level: "silent" });
  recorder = new HealthRecorder({ logger, writeIntervalMs: 60_000 });
  monitor = new HealthMonitor({
    broadcast: (states) => {
      broadcasts.push(states);
      requestsAtBroadcast.push(backend.requests.length);
    },
    recorder,
    notifications: new NotificationDebouncer({ debounceMs: 0, send: (event) => events.push(event) }),
    logger,
  });
});
afterEach(async () => {
  monitor.stop();
  await recorder.flush();
  await backend.close();
  await cleanup();
});

/** Fast checks for tests: the schema allows whole seconds only, the checker does not care. */
const fast: HealthCheck = { ...defaultHealthCheck, intervalSeconds: 0.15, timeoutSeconds: 0.1, path: "/health", unhealthyThreshold: 3 };

function site(overrides: Partial<SnapshotSite> = {}, upstreams = [backend.url]): SnapshotSite {
  return testSite({ id: "shop", name: "Shop", hostnames: ["shop.test"], upstreams, healthCheck: fast, ...overrides });
}
const apply = (...sites: SnapshotSite[]) => monitor.apply(testSnapshot(++revision, sites));
/** The checked site's upstream (testSite ids are <site>-u<index>): verdicts are per upstream id. */
const U = "shop-u0";
const lastBroadcast = () => broadcasts.at(-1);
const healthRow = () => db().upstreamHealth.findUnique({ where: { upstreamId: U } });
const timeline = async () => (await db().upstreamHealthEvent.findMany({ orderBy: { id: "asc" } })).map((event) => [event.state, event.message]);

describe("health monitor", () => {
  it("broadcasts verdicts, records them and tells the webhook of changes", async () => {
    apply(site());
    expect(monitor.states()).toEqual({ [U]: "unknown" });
    await eventually(
      async () => lastBroadcast(),
      (states) => states?.[U] === "up",
    );
    await recorder.flush();
    expect(await healthRow()).toMatchObject({ state: "up", latencyMs: expect.any(Number), message: null });

    await backend.stop();
    await eventually(
      async () => lastBroadcast(),
      (states) => states?.[U] === "down",
    );
    await recorder.flush();
    expect(await healthRow()).toMatchObject({ state: "down", latencyMs: null, message: "Connection refused" });
    expect(events).toEqual([{ event: "upstream.down", address: backend.url, siteIds: ["shop"], siteNames: ["Shop"], message: "Connection refused" }]);

    await backend.start();
    await eventually(
      async () => lastBroadcast(),
      (states) => states?.[U] === "up",
    );
    expect(events.at(-1)).toMatchObject({ event: "upstream.recovered", message: expect.stringMatching(/^Answered HTTP 200 in \d+ ms$/) });
    await recorder.flush();
    expect(await timeline()).toEqual([
      ["up", null],
      ["down", "Connection refused"],
      ["up", null],
    ]);
    // Only changes were broadcast, each time the whole map.
    expect(broadcasts).toEqual([{ [U]: "up" }, { [U]: "down" }, { [U]: "up" }]);
  });

  it("keeps a checker whose settings did not change across reloads, with its state and counters", async () => {
    apply(site());
    await eventually(
      async () => monitor.states()[U],
      (state) => state === "up",
    );
    backend.answer(500);
    const failuresBefore = backend.requests.length;
    await eventually(
      async () => backend.requests.length,
      (count) => count === failuresBefore + 1,
    );
    // A reload that changes other things (name, another site) but not this check.
    apply(site({ name: "Shop (renamed)" }), testSite({ id: "blog", hostnames: ["blog.test"], upstreams: ["http://127.0.0.1:1"], healthCheck: fast }));
    expect(monitor.states()[U]).toBe("up");
    await eventually(
      async () => lastBroadcast(),
      (states) => states?.[U] === "down",
    );
    // Down on the third failure in a row: the one before the reload counted.
    expect(requestsAtBroadcast.at(-1)! - failuresBefore).toBe(3);
    expect(events.find((event) => event.address === backend.url)?.siteNames).toEqual(["Shop (renamed)"]);
  });

  it("restarts the checker when its settings change, keeping the verdict until the new one decides", async () => {
    apply(site());
    await eventually(
      async () => monitor.states()[U],
      (state) => state === "up",
    );
    const before = broadcasts.length;
    apply(site({ healthCheck: { ...fast, path: "/other" } }));
    expect(monitor.states()[U]).toBe("up");
    await eventually(
      async () => backend.requests.filter((path) => path === "/other").length,
      (count) => count >= 2,
    );
    const switched = backend.requests.indexOf("/other");
    expect(backend.requests.slice(switched).every((path) => path === "/other")).toBe(true);
    expect(broadcasts.length).toBe(before); // nothing changed for the workers
  });

  it("stops the checker of a removed address, and marks an address whose checks were turned off", async () => {
    apply(site());
    await eventually(
      async () => lastBroadcast(),
      (states) => states?.[U] === "up",
    );
    apply(site({ healthCheck: { ...fast, enabled: false } }));
    expect(lastBroadcast()).toEqual({});
    expect(monitor.states()).toEqual({});
    await recorder.flush();
    expect(await healthRow()).toMatchObject({ state: "unknown", message: "Health checks are off for this upstream" });
    const seen = backend.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(backend.requests.length).toBe(seen);

    apply(site());
    await eventually(
      async () => lastBroadcast(),
      (states) => states?.[U] === "up",
    );
    apply(testSite({ id: "other", hostnames: ["other.test"], upstreams: ["http://127.0.0.1:1"], healthCheck: { ...fast, enabled: false } }));
    expect(lastBroadcast()).toEqual({});
    expect(monitor.upstreamsInUse).toEqual(["other-u0"]);
  });

  it("records a worker's passive failure on the timeline without overriding the active verdict", async () => {
    apply(site());
    await eventually(
      async () => monitor.states()[U],
      (state) => state === "up",
    );
    await recorder.flush();
    monitor.reportFailing(U, "3 connection failures in a row");
    monitor.reportFailing(U, "3 connection failures in a row");
    monitor.reportFailing("http://not-checked", "whatever");
    expect(monitor.states()[U]).toBe("up");
    await eventually(timeline, (changes) => changes.length === 3);
    expect(await timeline()).toEqual([
      ["up", null],
      ["down", "3 connection failures in a row"],
      ["up", null],
    ]);
    expect(events).toEqual([]);
    expect(broadcasts).toEqual([{ [U]: "up" }]);
  });

  it("keeps a passive failure on record while active checks fail without reaching the threshold", async () => {
    apply(site());
    await eventually(
      async () => monitor.states()[U],
      (state) => state === "up",
    );
    await recorder.flush();
    backend.answer(500);
    monitor.reportFailing(U, "3 failed requests in a row");
    await eventually(
      async () => monitor.states()[U],
      (state) => state === "down",
    );
    await recorder.flush();
    expect(await timeline()).toEqual([
      ["up", null],
      ["down", "3 failed requests in a row"],
    ]);
    expect(await healthRow()).toMatchObject({ state: "down", message: "Answered HTTP 500 (expected 200-399)" });
  });

  it("remembers states from before a restart, and clears one whose site's checks are now off", async () => {
    const other = await startSwitchableBackend("other");
    try {
      await recorder.observe("z-u0", { state: "up", checkedAt: new Date(), latencyMs: 3, message: null });
      recorder.forget("z-u0");
      monitor.remember(
        new Map([
          [U, "down"],
          ["z-u0", "up"],
        ]),
      );
      apply(
        site({}, [backend.url, other.url]),
        testSite({ id: "z", hostnames: ["z.test"], upstreams: [other.url], healthCheck: { ...fast, enabled: false } }),
      );
      // The same address under "z" is not checked: its site has checks off, whatever "shop" does.
      await eventually(
        async () => monitor.states(),
        (states) => states[U] === "up" && states["shop-u1"] === "up",
      );
      expect(monitor.states()["z-u0"]).toBeUndefined();
      const told = events.filter((event) => event.address === backend.url);
      expect(told.map((event) => [event.event, event.siteIds])).toEqual([["upstream.recovered", ["shop"]]]);
      await recorder.flush();
      expect(await db().upstreamHealth.findUnique({ where: { upstreamId: "z-u0" } })).toMatchObject({ state: "unknown" });
    } finally {
      await other.close();
    }
  });

  it("gives each site's upstream the verdict of its own site's check, with one probe per distinct check", async () => {
    backend.answerPath("/strict", 503);
    // A generous timeout: only the answers should decide here, not a busy machine.
    const patient = { ...fast, timeoutSeconds: 2 };
    apply(
      site({ id: "shop", healthCheck: patient }),
      testSite({ id: "blog", hostnames: ["blog.test"], upstreams: [backend.url], healthCheck: patient }),
      testSite({ id: "strict", hostnames: ["strict.test"], upstreams: [backend.url], healthCheck: { ...patient, path: "/strict" } }),
    );
    await eventually(
      async () => monitor.states(),
      (states) => states[U] === "up" && states["strict-u0"] === "down",
    );
    expect(monitor.states()).toEqual({ [U]: "up", "blog-u0": "up", "strict-u0": "down" });
    await recorder.flush();
    expect(await db().upstreamHealth.findUnique({ where: { upstreamId: "strict-u0" } })).toMatchObject({
      state: "down",
      message: "Answered HTTP 503 (expected 200-399)",
    });
    expect(await db().upstreamHealth.findUnique({ where: { upstreamId: "blog-u0" } })).toMatchObject({ state: "up" });
    expect(events.filter((event) => event.event === "upstream.down")).toEqual([
      { event: "upstream.down", address: backend.url, siteIds: ["strict"], siteNames: ["strict"], message: "Answered HTTP 503 (expected 200-399)" },
    ]);
    // shop and blog check the same way: one probe for both, at the same pace as strict's own.
    // Two probes would ask /health about twice as often as /strict.
    const asked = (path: string) => backend.requests.filter((p) => p === path).length;
    await eventually(
      async () => asked("/strict"),
      (count) => count >= 6,
    );
    expect(asked("/health")).toBeLessThanOrEqual(asked("/strict") + 2);
  });

  it("checks a stream's tcp:// upstream by connecting alone, and records and tells its verdicts under the upstream's id", async () => {
    const stream: SnapshotStream = {
      id: "mail",
      name: "Mail",
      protocol: "both",
      listenPort: 2525,
      upstreams: [
        { id: "mail-tcp", url: `tcp://127.0.0.1:${backend.port}`, weight: 1 },
        { id: "mail-udp", url: `udp://127.0.0.1:${backend.port}`, weight: 1 },
      ],
      loadBalancing: { policy: "round_robin" },
      healthCheck: { ...defaultStreamHealthCheck, intervalSeconds: 0.15, timeoutSeconds: 0.1, healthyThreshold: 1, unhealthyThreshold: 1 },
      accessListId: null,
      idleTimeoutSeconds: 600,
      proxyProtocol: false,
    };
    monitor.apply(testSnapshot(++revision, [], [], { streams: [stream] }));
    await eventually(
      async () => lastBroadcast(),
      (states) => states?.["mail-tcp"] === "up",
    );
    await backend.stop();
    await eventually(
      async () => lastBroadcast(),
      (states) => states?.["mail-tcp"] === "down",
    );
    await recorder.flush();
    expect(await db().upstreamHealth.findUnique({ where: { upstreamId: "mail-tcp" } })).toMatchObject({
      state: "down",
      message: "Connection refused",
    });
    await backend.start();
    await eventually(
      async () => events.at(-1),
      (event) => event?.event === "upstream.recovered",
    );
    expect(events.at(-1)).toMatchObject({
      siteIds: ["mail"],
      siteNames: ["Mail"],
      message: expect.stringMatching(/^Accepted a connection in \d+ ms$/),
    });
    expect(lastBroadcast()).not.toHaveProperty("mail-udp");
    expect(backend.requests).toEqual([]);
  });
});
