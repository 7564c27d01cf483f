import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { adminApiToken } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import { createSite } from "@/lib/services/sites";
import { addTraffic, type TrafficTop } from "@/lib/services/traffic";
import type { TopCounts } from "@/lib/traffic/traffic-delta";
import * as topRoute from "./route";

const MINUTE = 60_000;
const base = Date.UTC(2026, 10, 23, 10, 0, 0);

let cleanup: () => Promise<void>;
let token: string;
let blog: string;
let shop: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
  blog = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] })).id;
  shop = (await createSite({ name: "Shop", hostnames: ["shop.example.com"], upstreams: [{ url: "http://10.0.0.6:8080" }] })).id;
});
afterEach(() => cleanup());

function get(query: string, auth = true): Promise<Response> {
  const headers: Record<string, string> = auth ? { authorization: `Bearer ${token}` } : {};
  const request = new NextRequest(new URL(`/api/v1/traffic/top${query}`, "http://dashboard.local"), { headers });
  return topRoute.GET(request, { params: Promise.resolve({}) });
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; details: Record<string, string> } };
  return { status: response.status, ...body.error };
}

function withTop(siteId: string, minute: number, top: TopCounts) {
  const requests = Object.values(top.statuses).reduce((sum, count) => sum + count, 0);
  return {
    siteId,
    minute,
    requests,
    status2xx: requests,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    bytesIn: 0,
    bytesOut: 0,
    bytesSavedCompression: 0,
    cacheHits: 0,
    cacheMisses: 0,
    bytesSavedCache: 0,
    connections: 0,
    connectionMs: 0,
    latency: {},
    top,
  };
}

const range = "from=2026-11-23T10:00:00Z&to=2026-11-23T11:00:00Z";

describe("GET /api/v1/traffic/top", () => {
  it("requires credentials", async () => {
    expect(await errorOf(await get(`?${range}`, false))).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("says which parameter is wrong", async () => {
    expect(await errorOf(await get(`?${range}&limit=0`))).toMatchObject({
      status: 400,
      code: "validation_failed",
      details: { limit: "Must be at least 1" },
    });
    expect((await errorOf(await get(`?${range}&limit=21`))).details.limit).toMatch(/at most 20/);
    expect((await errorOf(await get(`?${range}&limit=2.5`))).details.limit).toBe("Must be a whole number");
    expect((await errorOf(await get(`?${range}&limit=many`))).details.limit).toBeDefined();
    expect(await errorOf(await get("?from=2026-11-23T12:00:00Z&to=2026-11-23T11:00:00Z"))).toMatchObject({
      status: 400,
      details: { from: "Must be before 'to'" },
    });
    const badDates = await errorOf(await get("?from=yesterday&to=now"));
    expect(badDates.status).toBe(400);
    expect(Object.keys(badDates.details).sort()).toEqual(["from", "to"]);
    expect(await errorOf(await get(`?${range}&siteId=no-such-site`))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("returns the top lists of the range for traffic written with addTraffic", async () => {
    await addTraffic([
      withTop(blog, base + 2 * MINUTE, { paths: { "/": 3, "/about": 1 }, clientIps: { "10.0.0.1": 4 }, statuses: { "200": 3, "404": 1 } }),
      withTop(blog, base + 9 * MINUTE, { paths: { "/about": 4 }, clientIps: { "10.0.0.2": 4 }, statuses: { "200": 4 } }),
      withTop(shop, base + 9 * MINUTE, { paths: { "/cart": 9 }, clientIps: { "10.0.0.2": 9 }, statuses: { "500": 9 } }),
      withTop(blog, base + 61 * MINUTE, { paths: { "/later": 50 }, clientIps: {}, statuses: { "200": 50 } }),
    ]);
    const response = await get(`?siteId=${blog}&${range}`);
    expect(response.status).toBe(200);
    expect((await response.json()) as TrafficTop).toEqual({
      requests: 8,
      paths: [
        { key: "/about", count: 5 },
        { key: "/", count: 3 },
      ],
      clientIps: [
        { key: "10.0.0.1", count: 4 },
        { key: "10.0.0.2", count: 4 },
      ],
      statuses: [
        { key: "200", count: 7 },
        { key: "404", count: 1 },
      ],
    });

    const all = (await (await get(`?${range}&limit=1`)).json()) as TrafficTop;
    expect(all).toEqual({
      requests: 17,
      paths: [{ key: "/cart", count: 9 }],
      clientIps: [{ key: "10.0.0.2", count: 13 }],
      statuses: [{ key: "500", count: 9 }],
    });
  });

  it("defaults to the last hour", async () => {
    const now = Date.now();
    await addTraffic([withTop(blog, now - 30 * MINUTE, { paths: { "/recent": 2 }, clientIps: {}, statuses: { "200": 2 } })]);
    await addTraffic([withTop(blog, now - 90 * MINUTE, { paths: { "/old": 5 }, clientIps: {}, statuses: { "200": 5 } })]);
    const body = (await (await get("")).json()) as TrafficTop;
    expect(body.paths).toEqual([{ key: "/recent", count: 2 }]);
    expect(body.requests).toBe(2);
  });
});
