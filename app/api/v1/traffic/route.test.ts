import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { adminApiToken } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import { createSite } from "@/lib/services/sites";
import { addTraffic } from "@/lib/services/traffic";
import { LatencyHistogram } from "@/lib/traffic/latency-histogram";
import type { TrafficPoint } from "@/lib/traffic/traffic-delta";
import * as trafficRoute from "./route";

const MINUTE = 60_000;

let cleanup: () => Promise<void>;
let token: string;
let siteId: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
  siteId = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] })).id;
});
afterEach(() => cleanup());

function get(query: string, auth = true): Promise<Response> {
  const headers: Record<string, string> = auth ? { authorization: `Bearer ${token}` } : {};
  const request = new NextRequest(new URL(`/api/v1/traffic${query}`, "http://dashboard.local"), { headers });
  return trafficRoute.GET(request, { params: Promise.resolve({}) });
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; details: Record<string, string> } };
  return { status: response.status, ...body.error };
}

describe("GET /api/v1/traffic", () => {
  it("requires credentials", async () => {
    expect(await errorOf(await get("", false))).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("says which parameter is wrong", async () => {
    const range = "from=2026-11-23T10:00:00Z&to=2026-11-23T11:00:00Z";
    expect(await errorOf(await get(`?${range}&step=90`))).toMatchObject({
      status: 400,
      code: "validation_failed",
      details: { step: "Must be a multiple of 60 seconds" },
    });
    expect((await errorOf(await get(`?${range}&step=abc`))).details.step).toBeDefined();
    expect((await errorOf(await get(`?${range}&step=0`))).details.step).toBeDefined();
    expect(await errorOf(await get("?from=2026-11-23T12:00:00Z&to=2026-11-23T11:00:00Z"))).toMatchObject({
      status: 400,
      details: { from: "Must be before 'to'" },
    });
    const badDates = await errorOf(await get("?from=yesterday&to=now"));
    expect(badDates.status).toBe(400);
    expect(Object.keys(badDates.details).sort()).toEqual(["from", "to"]);
    const tooMany = await errorOf(await get("?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&step=60"));
    expect(tooMany).toMatchObject({ status: 400, code: "validation_failed" });
    expect(tooMany.details.step).toMatch(/at least/);
    expect(await errorOf(await get(`?${range}&siteId=no-such-site`))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("returns the series for traffic written with addTraffic", async () => {
    const base = Date.UTC(2026, 10, 23, 10, 0, 0);
    const latency = new LatencyHistogram();
    for (const ms of [10, 20, 30, 40]) latency.record(ms);
    await addTraffic([
      {
        siteId,
        minute: base + 2 * MINUTE,
        requests: 4,
        status2xx: 2,
        status3xx: 0,
        status4xx: 1,
        status5xx: 1,
        bytesIn: 400,
        bytesOut: 8000,
        bytesSavedCompression: 1500,
        cacheHits: 3,
        cacheMisses: 1,
        bytesSavedCache: 6000,
        connections: 0,
        connectionMs: 0,
        latency: latency.toSparse(),
        top: { paths: { "/": 4 }, clientIps: { "10.0.0.1": 4 }, statuses: { "200": 2, "404": 1, "500": 1 } },
      },
    ]);
    const response = await get(`?siteId=${siteId}&from=2026-11-23T10:00:00Z&to=2026-11-23T10:05:00Z&step=60`);
    expect(response.status).toBe(200);
    const { series } = (await response.json()) as { series: TrafficPoint[] };
    expect(series).toHaveLength(5);
    expect(series.map((point) => point.requests)).toEqual([0, 0, 4, 0, 0]);
    expect(series[2]).toMatchObject({
      t: "2026-11-23T10:02:00.000Z",
      status2xx: 2,
      status4xx: 1,
      status5xx: 1,
      bytesIn: 400,
      bytesOut: 8000,
      bytesSavedCompression: 1500,
      cacheHits: 3,
      cacheMisses: 1,
      bytesSavedCache: 6000,
      connections: 0,
      connectionMs: 0,
    });
    expect(series[2]!.p50Ms).toBeGreaterThanOrEqual(20 * 0.95);
    expect(series[2]!.p50Ms).toBeLessThanOrEqual(20 * 1.05);
    expect(series[0]!.p50Ms).toBeNull();

    const allSites = (await (await get("?from=2026-11-23T10:00:00Z&to=2026-11-23T11:00:00Z&step=600")).json()) as { series: TrafficPoint[] };
    expect(allSites.series.map((point) => point.requests)).toEqual([4, 0, 0, 0, 0, 0]);
  });

  it("defaults to the last hour in minutes", async () => {
    const response = await get("");
    expect(response.status).toBe(200);
    const { series } = (await response.json()) as { series: TrafficPoint[] };
    expect(series.length).toBeGreaterThanOrEqual(60);
    expect(series.length).toBeLessThanOrEqual(61);
    expect(new Date(series[1]!.t).getTime() - new Date(series[0]!.t).getTime()).toBe(MINUTE);
    expect(series.every((point) => point.requests === 0)).toBe(true);
  });
});
