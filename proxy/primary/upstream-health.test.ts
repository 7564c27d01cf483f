import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, getSite } from "@/lib/services/sites";
import { updateAppSettings } from "@/lib/services/settings";
import { healthHistory } from "@/lib/services/upstream-health";
import { useTempDatabase } from "@/test-support/database";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";

/**
 * Active health checks end to end: the real proxy process (primary + two workers) against a
 * real SQLite file, two real upstreams, and a real webhook receiver.
 */
const INTERVAL_MS = 1_000;
const THRESHOLD = 2;
/** Time for a check in flight, the write, and the test's own polling. */
const SLACK_MS = 1_500;

let cleanup: () => Promise<void>;
let proxy: ProxyProcess;
let a: SwitchableBackend;
let b: SwitchableBackend;
let receiver: http.Server;
const hooks: Array<{ event: string; address: string; siteIds: string[]; siteNames: string[]; message: string }> = [];
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });

function get(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: proxy.httpPort, path: "/", headers: { host }, agent: keepAlive }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  [a, b] = await Promise.all([startSwitchableBackend("A"), startSwitchableBackend("B")]);
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      hooks.push(JSON.parse(body) as (typeof hooks)[number]);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  await updateAppSettings({ webhookUrl: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook` });
  proxy = await startProxyProcess({ workers: 2, env: { HEALTH_NOTIFY_DEBOUNCE_MS: "1000" } });
  await eventually(
    () => get("nothing.test"),
    (response) => response.status === 404,
    { log: proxy.log },
  );
});

afterAll(async () => {
  await proxy?.stop();
  keepAlive.destroy();
  await Promise.all([a?.close(), b?.close()]);
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await cleanup();
});

describe("active upstream health checks in the proxy", () => {
  it("marks a stopped upstream down within interval x threshold, serves without errors meanwhile, and brings it back", {
    timeout: 60_000,
  }, async () => {
    const site = await createSite({
      name: "Shop",
      hostnames: ["shop.test"],
      upstreams: [{ url: a.url }, { url: b.url }],
      healthCheck: {
        enabled: true,
        path: "/health",
        intervalSeconds: INTERVAL_MS / 1000,
        timeoutSeconds: 1,
        expectedStatus: "200-399",
        healthyThreshold: THRESHOLD,
        unhealthyThreshold: THRESHOLD,
      },
    });
    const health = async () => Object.fromEntries((await getSite(site.id)).upstreams.map((u) => [u.url, u.health]));
    const both = await eventually(health, (h) => h[a.url]?.state === "up" && h[b.url]?.state === "up", { log: proxy.log });
    expect(both[a.url]?.latencyMs).toEqual(expect.any(Number));
    expect(a.requests).toContain("/health");

    // Steady load through the whole outage and recovery.
    const results: Array<{ status: number; body: string; at: number }> = [];
    let loading = true;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (loading) {
          try {
            results.push({ ...(await get("shop.test")), at: Date.now() });
          } catch (error) {
            results.push({ status: 0, body: String(error), at: Date.now() });
          }
        }
      }),
    );
    try {
      await eventually(
        async () => new Set(results.map((r) => r.body)),
        (bodies) => bodies.has("A") && bodies.has("B"),
      );

      const stoppedAt = Date.now();
      await b.stop();
      // The active checks' verdict (a worker's passive report may have put "down" on record first).
      const down = await eventually(health, (h) => h[b.url]?.state === "down" && h[b.url]?.message === "Connection refused", {
        log: proxy.log,
      });
      expect(Date.now() - stoppedAt).toBeLessThan(INTERVAL_MS * THRESHOLD + SLACK_MS);
      expect(down[a.url]?.state).toBe("up");
      const hook = await eventually(
        async () => hooks.find((h) => h.event === "upstream.down"),
        (h) => h !== undefined,
      );
      expect(hook).toEqual({
        event: "upstream.down",
        address: b.url,
        siteIds: [site.id],
        siteNames: ["Shop"],
        message: "Connection refused",
        at: expect.any(String),
        product: "gatekeeper",
      });
      // Serve a while longer with B down: everything goes to A.
      const downSince = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(results.filter((r) => r.at > downSince + 200).every((r) => r.body === "A")).toBe(true);

      const restartedAt = Date.now();
      await b.start();
      await eventually(health, (h) => h[b.url]?.state === "up", { log: proxy.log });
      expect(Date.now() - restartedAt).toBeLessThan(INTERVAL_MS * THRESHOLD + SLACK_MS);
      // Back in rotation as soon as the checks say up: that also ends the workers' passive bench.
      await eventually(
        async () => results.filter((r) => r.at > restartedAt && r.body === "B").length,
        (count) => count > 0,
        {
          timeoutMs: INTERVAL_MS * THRESHOLD + 2 * SLACK_MS,
          log: proxy.log,
        },
      );
    } finally {
      loading = false;
      await load;
    }

    expect(results.length).toBeGreaterThan(100);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    await eventually(
      async () => hooks.map((h) => h.event),
      (events) => events.includes("upstream.recovered"),
    );
    expect(hooks.map((h) => [h.event, h.address])).toEqual([
      ["upstream.down", b.url],
      ["upstream.recovered", b.url],
    ]);
    expect(hooks[1]?.message).toMatch(/^Answered HTTP 200 in \d+ ms$/);

    // The timeline shows the outage (a passive report may have recorded it first).
    const bId = site.upstreams.find((upstream) => upstream.url === b.url)!.id;
    const changes = (await healthHistory(bId)).changes.map((change) => change.state);
    expect(changes[0]).toBe("up");
    expect(changes).toContain("down");
    expect(changes.at(-1)).toBe("up");
  });

  it("takes an upstream whose health check fails out of rotation though it still answers, and puts it back", async () => {
    const [c, d] = await Promise.all([startSwitchableBackend("C"), startSwitchableBackend("D")]);
    try {
      const site = await createSite({
        name: "Blog",
        hostnames: ["blog.test"],
        upstreams: [{ url: c.url }, { url: `${d.url}/base` }],
        healthCheck: {
          enabled: true,
          path: "/healthz",
          intervalSeconds: 1,
          timeoutSeconds: 1,
          expectedStatus: "200",
          healthyThreshold: 2,
          unhealthyThreshold: 2,
        },
      });
      const health = async () => Object.fromEntries((await getSite(site.id)).upstreams.map((u) => [u.url, u.health]));
      await eventually(health, (h) => Object.values(h).every((u) => u.state === "up"), { log: proxy.log });
      expect(d.requests).toContain("/base/healthz");

      // D still serves every request, but its check answers 503: only the active checks know.
      d.answerPath("/base/healthz", 503);
      const failedAt = Date.now();
      const down = await eventually(health, (h) => h[`${d.url}/base`]?.state === "down", { log: proxy.log });
      expect(Date.now() - failedAt).toBeLessThan(2 * INTERVAL_MS + SLACK_MS);
      expect(down[`${d.url}/base`]?.message).toBe("Answered HTTP 503 (expected 200)");
      const during = await Promise.all(Array.from({ length: 20 }, () => get("blog.test")));
      expect(during.map((r) => `${r.status} ${r.body}`)).toEqual(Array.from({ length: 20 }, () => "200 C"));

      d.answerPath("/base/healthz", null);
      await eventually(health, (h) => h[`${d.url}/base`]?.state === "up", { log: proxy.log });
      await eventually(
        async () => (await Promise.all(Array.from({ length: 10 }, () => get("blog.test")))).map((r) => r.body),
        (bodies) => bodies.includes("D"),
        { timeoutMs: 5_000, log: proxy.log },
      );
    } finally {
      await Promise.all([c.close(), d.close()]);
    }
  });

  it("judges a shared address by each site's own check settings, in the API and in the data plane", async () => {
    const shared = await startSwitchableBackend("S");
    try {
      shared.answerPath("/strict", 503);
      const check = { enabled: true, intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 1 };
      const lenient = await createSite({
        name: "Lenient",
        hostnames: ["lenient.test"],
        upstreams: [{ url: shared.url }],
        healthCheck: { ...check, path: "/" },
      });
      const strict = await createSite({
        name: "Strict",
        hostnames: ["strict.test"],
        upstreams: [{ url: shared.url }],
        healthCheck: { ...check, path: "/strict" },
      });
      const stateOf = async (id: string) => (await getSite(id)).upstreams[0]!.health;
      await eventually(
        async () => [await stateOf(lenient.id), await stateOf(strict.id)],
        ([l, s]) => l?.state === "up" && s?.state === "down",
        {
          log: proxy.log,
        },
      );
      expect((await stateOf(strict.id)).message).toBe("Answered HTTP 503 (expected 200-399)");
      // Each site's traffic follows its own verdict: the strict site's only upstream is down.
      await eventually(
        () => get("strict.test"),
        (response) => response.status === 503,
        { log: proxy.log },
      );
      expect(await get("lenient.test")).toEqual({ status: 200, body: "S" });
      expect(shared.requests.filter((path) => path === "/strict").length).toBeGreaterThan(0);
    } finally {
      await shared.close();
    }
  });
});
