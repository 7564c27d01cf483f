import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LatencyHistogram } from "@/lib/traffic/latency-histogram";
import type { TrafficDelta } from "@/lib/traffic/traffic-delta";
import { unusedPort } from "@/test-support/backend";
import { countedRequest, type CountedResponse } from "@/test-support/counting-client";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { rawExchange, websocketEcho } from "@/test-support/http-client";
import { testSite, testSnapshot } from "@/test-support/snapshots";
import { startBackend, type Backend } from "@/test-support/backend";
import { startTrafficBackend } from "@/test-support/traffic-backend";

const MINUTE = 60_000;
/** A fixed minute, so that the test never straddles a real minute boundary. */
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

let upstream: Awaited<ReturnType<typeof startTrafficBackend>>;
let echo: Backend;
let proxy: RunningDataPlane;
let now = T0 + 1_000;

beforeAll(async () => {
  upstream = await startTrafficBackend();
  echo = await startBackend({ name: "echo" });
  const downPort = await unusedPort();
  proxy = await startDataPlane({ traffic: { enabled: true, clock: () => now } });
  const result = proxy.plane.apply(
    testSnapshot(1, [
      testSite({ id: "alpha", hostnames: ["alpha.test"], upstreams: [upstream.url] }),
      testSite({ id: "beta", hostnames: ["beta.test"], upstreams: [`http://127.0.0.1:${downPort}`] }),
      testSite({ id: "secure", hostnames: ["secure.test"], upstreams: [upstream.url], forceHttps: true }),
      testSite({ id: "ws", hostnames: ["ws.test"], upstreams: [echo.url] }),
    ]),
  );
  expect(result.ok).toBe(true);
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  await echo?.close();
});

/** Drains until `requests` requests are counted in all (the 'close' listeners run just after the client is answered). */
async function drainUntil(requests: number): Promise<TrafficDelta[]> {
  const deltas: TrafficDelta[] = [];
  const deadline = Date.now() + 5_000;
  while (deltas.reduce((sum, d) => sum + d.requests, 0) < requests && Date.now() < deadline) {
    deltas.push(...proxy.plane.drainTraffic());
    if (deltas.reduce((sum, d) => sum + d.requests, 0) < requests) await new Promise((r) => setTimeout(r, 10));
  }
  // Anything more would be a miscount.
  await new Promise((r) => setTimeout(r, 50));
  deltas.push(...proxy.plane.drainTraffic());
  return deltas;
}

function sum(responses: CountedResponse[], key: "bytesSent" | "bytesReceived"): number {
  return responses.reduce((total, r) => total + r[key], 0);
}

describe("traffic counting through the data plane", () => {
  it("counts a known mix of requests exactly, per site and minute", async () => {
    proxy.plane.drainTraffic();
    now = T0 + 5_000;
    const alpha: CountedResponse[] = [];
    const send = async (path: string, extra: { method?: string; body?: string } = {}) => {
      const res = await countedRequest({ port: proxy.httpPort, host: "alpha.test", path, ...extra });
      alpha.push(res);
      return res;
    };
    // 200 x5 (sizes, chunked, a POST with a body), 301, 404 and 500 from the upstream, a slow 200.
    expect((await send("/size/0")).status).toBe(200);
    expect((await send("/size/1000")).body.length).toBe(1000);
    expect((await send("/size/70000")).body.length).toBe(70_000);
    expect((await send("/chunked/5000")).body.length).toBe(5000);
    expect((await send("/size/10", { method: "POST", body: "x".repeat(20_000) })).status).toBe(200);
    expect((await send("/status/301")).status).toBe(301);
    expect((await send("/status/404")).status).toBe(404);
    expect((await send("/status/500")).status).toBe(500);
    const slow = await send("/slow/300");
    expect(slow.status).toBe(200);

    // The proxy's own answers: 502 (upstream down) and a redirect to HTTPS.
    const beta = await countedRequest({ port: proxy.httpPort, host: "beta.test", path: "/x" });
    expect(beta.status).toBe(502);
    const secure = await countedRequest({ port: proxy.httpPort, host: "secure.test", path: "/y" });
    expect(secure.status).toBe(301);
    // Unknown host: a 404 attributed to no site.
    const unknown = await countedRequest({ port: proxy.httpPort, host: "nobody.test", path: "/" });
    expect(unknown.status).toBe(404);

    const deltas = await drainUntil(alpha.length + 2);
    const bySite = Object.fromEntries(deltas.map((d) => [d.siteId, d]));
    expect(deltas).toHaveLength(3);
    expect(bySite.alpha).toMatchObject({
      minute: T0,
      requests: 9,
      status2xx: 6,
      status3xx: 1,
      status4xx: 1,
      status5xx: 1,
      // Every byte the clients sent and received on their connections, headers included.
      bytesIn: sum(alpha, "bytesSent"),
      bytesOut: sum(alpha, "bytesReceived"),
    });
    expect(bySite.alpha!.bytesOut).toBeGreaterThan(0 + 1000 + 70_000 + 5000 + 10);
    expect(bySite.alpha!.bytesIn).toBeGreaterThan(20_000);
    expect(bySite.beta).toMatchObject({ minute: T0, requests: 1, status5xx: 1, bytesIn: beta.bytesSent, bytesOut: beta.bytesReceived });
    expect(bySite.secure).toMatchObject({ minute: T0, requests: 1, status3xx: 1, bytesIn: secure.bytesSent, bytesOut: secure.bytesReceived });

    // Latency: the proxy's own measure is a little shorter than the client's; the histogram reads
    // a bucket's upper bound, at most 5% above.
    const histogram = LatencyHistogram.fromSparse(bySite.alpha!.latency);
    expect(histogram.count).toBe(9);
    const p99 = histogram.percentile(0.99)!;
    expect(p99).toBeGreaterThanOrEqual(300);
    expect(p99).toBeLessThanOrEqual(slow.ms * 1.05);
    const measured = alpha.map((r) => r.ms).sort((a, b) => a - b);
    const p50 = histogram.percentile(0.5)!;
    expect(p50).toBeLessThanOrEqual(measured[4]! * 1.05);
    expect(p50).toBeGreaterThan(0);
  });

  it("counts keep-alive requests on one connection exactly, each once", async () => {
    proxy.plane.drainTraffic();
    const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: alpha.test\r\n\r\n`;
    const payload = request("/size/100") + request("/status/404") + request("/size/7").replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
    const answer = await rawExchange(proxy.httpPort, payload);
    const deltas = await drainUntil(3);
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toMatchObject({ siteId: "alpha", requests: 3, status2xx: 2, status4xx: 1 });
    expect(deltas[0]!.bytesIn).toBe(Buffer.byteLength(payload));
    expect(deltas[0]!.bytesOut).toBe(Buffer.byteLength(answer, "latin1"));
  });

  it("splits counts across a minute boundary into two minutes", async () => {
    proxy.plane.drainTraffic();
    now = T0 + 59_000;
    await countedRequest({ port: proxy.httpPort, host: "alpha.test", path: "/size/1" });
    await countedRequest({ port: proxy.httpPort, host: "alpha.test", path: "/status/404" });
    now = T0 + MINUTE + 1;
    await countedRequest({ port: proxy.httpPort, host: "alpha.test", path: "/status/500" });
    const deltas = (await drainUntil(3)).sort((a, b) => a.minute - b.minute);
    expect(deltas.map((d) => [d.minute, d.requests, d.status2xx, d.status4xx, d.status5xx])).toEqual([
      [T0, 2, 1, 1, 0],
      [T0 + MINUTE, 1, 0, 0, 1],
    ]);
  });

  it("counts a websocket as one request", async () => {
    proxy.plane.drainTraffic();
    now = T0 + 2 * MINUTE;
    expect(await websocketEcho({ port: proxy.httpPort, host: "ws.test", message: "hi" })).toBe("echo:hi");
    const deltas = await drainUntil(1);
    expect(deltas).toHaveLength(1);
    // 101 is a request without a status class.
    expect(deltas[0]).toMatchObject({ siteId: "ws", requests: 1, status2xx: 0, status3xx: 0, status4xx: 0, status5xx: 0 });
    expect(deltas[0]!.bytesIn).toBeGreaterThan(0);
    expect(deltas[0]!.bytesOut).toBeGreaterThan(0);
    expect(LatencyHistogram.fromSparse(deltas[0]!.latency).count).toBe(1);
  });

  it("keeps one entry per site and minute whatever the paths and client addresses", async () => {
    proxy.plane.drainTraffic();
    now = T0 + 3 * MINUTE;
    const total = 300;
    for (let batch = 0; batch < total / 30; batch++) {
      await Promise.all(
        Array.from({ length: 30 }, () =>
          countedRequest({
            port: proxy.httpPort,
            host: "alpha.test",
            path: `/r/${Math.random().toString(36).slice(2)}?q=${Math.random()}`,
            headers: { "x-forwarded-for": `10.${batch}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}` },
          }),
        ),
      );
    }
    const deltas = await drainUntil(total);
    expect(deltas).toHaveLength(1);
    expect(deltas[0]!.requests).toBe(total);
    expect(Object.keys(deltas[0]!.latency).length).toBeLessThanOrEqual(290);
  });

  it("counts nothing when switched off", async () => {
    const off = await startDataPlane({ traffic: { enabled: false } });
    try {
      off.plane.apply(testSnapshot(1, [testSite({ id: "alpha", hostnames: ["alpha.test"], upstreams: [upstream.url] })]));
      expect((await countedRequest({ port: off.httpPort, host: "alpha.test", path: "/size/5" })).status).toBe(200);
      expect(off.plane.drainTraffic()).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
