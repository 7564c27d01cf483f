import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrafficDelta } from "@/lib/traffic/traffic-delta";
import { countedRequest } from "@/test-support/counting-client";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { rawExchange } from "@/test-support/http-client";
import { testSite, testSnapshot } from "@/test-support/snapshots";
import { startTrafficBackend } from "@/test-support/traffic-backend";
import { WORKER_TOP_CAPACITY } from "../traffic/traffic-counter";

/** A fixed minute, so that the test never straddles a real minute boundary. */
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

let upstream: Awaited<ReturnType<typeof startTrafficBackend>>;
let proxy: RunningDataPlane;

beforeAll(async () => {
  upstream = await startTrafficBackend();
  proxy = await startDataPlane({ traffic: { enabled: true, clock: () => T0 + 1_000 } });
  const result = proxy.plane.apply(
    testSnapshot(1, [
      testSite({ id: "alpha", hostnames: ["alpha.test"], upstreams: [upstream.url] }),
      testSite({ id: "secure", hostnames: ["secure.test"], upstreams: [upstream.url], forceHttps: true }),
    ]),
  );
  expect(result.ok).toBe(true);
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

/** Drains until `requests` requests are counted (the 'close' listeners run just after the client is answered). */
async function drainUntil(requests: number): Promise<TrafficDelta[]> {
  const deltas: TrafficDelta[] = [];
  const counted = () => deltas.reduce((sum, d) => sum + d.requests, 0);
  const deadline = Date.now() + 5_000;
  while (counted() < requests && Date.now() < deadline) {
    deltas.push(...proxy.plane.drainTraffic());
    if (counted() < requests) await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 50));
  deltas.push(...proxy.plane.drainTraffic());
  return deltas;
}

describe("top paths, client IPs and status codes through the data plane", () => {
  it("counts a known mix exactly: paths without their query, statuses, the real client address", async () => {
    proxy.plane.drainTraffic();
    const longPath = `/${"a".repeat(300)}`;
    const send = (host: string, path: string) =>
      // A client-supplied X-Forwarded-For is a spoof at the edge: the top list shows the socket's address.
      countedRequest({ port: proxy.httpPort, host, path, headers: { "x-forwarded-for": "203.0.113.9" } });
    const sent = [
      ["alpha.test", "/status/200?page=1", 200],
      ["alpha.test", "/status/200?page=2", 200],
      ["alpha.test", "/status/200", 200],
      ["alpha.test", "/status/404", 404],
      ["alpha.test", "/status/404?from=nav", 404],
      ["alpha.test", "/status/503", 503],
      ["alpha.test", "/size/10?q=x", 200],
      ["alpha.test", `${longPath}?q=1`, 200],
      ["secure.test", "/login?next=/", 301], // the proxy's own redirect to HTTPS
    ] as const;
    for (const [host, path, status] of sent) expect((await send(host, path)).status).toBe(status);

    const deltas = await drainUntil(sent.length);
    const bySite = Object.fromEntries(deltas.map((d) => [d.siteId, d]));
    expect(deltas).toHaveLength(2);
    expect(bySite.alpha!.top).toEqual({
      paths: { "/status/200": 3, "/status/404": 2, "/status/503": 1, "/size/10": 1, [`/${"a".repeat(199)}`]: 1 },
      clientIps: { "127.0.0.1": 8 },
      statuses: { "200": 5, "404": 2, "503": 1 },
    });
    expect(Object.keys(bySite.alpha!.top.paths).slice(0, 2)).toEqual(["/status/200", "/status/404"]);
    expect(bySite.secure!.top).toEqual({ paths: { "/login": 1 }, clientIps: { "127.0.0.1": 1 }, statuses: { "301": 1 } });
  });

  it("counts each request of a keep-alive connection under its own path", async () => {
    proxy.plane.drainTraffic();
    const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: alpha.test\r\n\r\n`;
    const payload = request("/size/1?a") + request("/status/404") + request("/size/1?b").replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
    await rawExchange(proxy.httpPort, payload);
    const [delta, ...rest] = await drainUntil(3);
    expect(rest).toEqual([]);
    expect(delta!.top).toEqual({ paths: { "/size/1": 2, "/status/404": 1 }, clientIps: { "127.0.0.1": 3 }, statuses: { "200": 2, "404": 1 } });
  });

  it("stays within the sketch's capacity under many distinct paths, and still finds the busy one", async () => {
    proxy.plane.drainTraffic();
    const total = 400;
    let busy = 0;
    for (let batch = 0; batch < total / 40; batch++) {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const hot = i % 4 === 0;
          if (hot) busy += 1;
          const path = hot ? "/status/200?n=1" : `/r/${Math.random().toString(36).slice(2)}`;
          return countedRequest({ port: proxy.httpPort, host: "alpha.test", path });
        }),
      );
    }
    const deltas = await drainUntil(total);
    expect(deltas).toHaveLength(1);
    const { paths } = deltas[0]!.top;
    expect(Object.keys(paths).length).toBeLessThanOrEqual(WORKER_TOP_CAPACITY);
    expect(Object.keys(paths)[0]).toBe("/status/200");
    expect(paths["/status/200"]).toBeLessThanOrEqual(busy);
    expect(paths["/status/200"]).toBeGreaterThanOrEqual(busy - total / WORKER_TOP_CAPACITY);
    expect(deltas[0]!.top.statuses).toEqual({ "200": total });
  });
});
