import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchProxyTrafficTotals } from "@/lib/metrics/proxy-metrics-client";
import { PROXY_TRAFFIC_TOTALS_PATH } from "@/lib/metrics/proxy-traffic-totals";
import { metricsHandler } from "./control-route";
import { TrafficTotals } from "./traffic-totals";

let server: http.Server;
let totals: TrafficTotals;
let base: string;

// A stand-in control server that wires the route the way the real one is asked to.
beforeEach(async () => {
  totals = new TrafficTotals(5_000);
  const route = metricsHandler(totals);
  server = http.createServer((request, response) => {
    if (route(request, response)) return;
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.env.PROXY_CONTROL_PORT = String(port);
  base = `http://127.0.0.1:${port}`;
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("metricsHandler on the control port", () => {
  it("hands the dashboard's client the cumulative counters", async () => {
    totals.add([
      { siteId: "s1", requests: 2, status2xx: 1, status3xx: 0, status4xx: 0, status5xx: 1, bytesIn: 10, bytesOut: 20, latency: { 50: 2 } },
    ]);
    const answer = await fetchProxyTrafficTotals();
    expect(answer).toMatchObject({ startedAt: 5_000, sites: [{ siteId: "s1", requests: { "2xx": 1, "5xx": 1 }, bytesOut: 20 }] });
    expect(answer!.sites[0]!.latency.count).toBe(2);
  });

  it("leaves other paths to the control server and refuses other methods", async () => {
    expect((await fetch(`${base}/reload`)).status).toBe(404);
    expect((await fetch(`${base}${PROXY_TRAFFIC_TOTALS_PATH}`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${base}${PROXY_TRAFFIC_TOTALS_PATH}?x=1`)).status).toBe(200);
  });

  it("the client answers null when the proxy is not there", async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = http.createServer().listen(0);
    expect(await fetchProxyTrafficTotals(500)).toBeNull();
  });
});
