import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import type { TrafficDelta } from "../traffic/traffic-delta";
import { createSite } from "./sites";
import { addTraffic } from "./traffic";
import { requestSparklines } from "./traffic-sparklines";

const MINUTE = 60_000;

let cleanup: () => Promise<void>;
let blog: string;
let shop: string;
let quiet: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  blog = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] })).id;
  shop = (await createSite({ name: "Shop", hostnames: ["shop.example.com"], upstreams: [{ url: "http://10.0.0.6:8080" }] })).id;
  quiet = (await createSite({ name: "Quiet", hostnames: ["quiet.example.com"], upstreams: [{ url: "http://10.0.0.7:8080" }] })).id;
});
afterEach(() => cleanup());

/** Top tables are not what these tests are about: every delta carries empty ones. */
const noTop = { top: { paths: {}, clientIps: {}, statuses: {} } };

function delta(siteId: string, minute: number, requests: number): TrafficDelta {
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
    ...noTop,
  };
}

const base = Date.UTC(2026, 10, 23, 10, 0, 0);
// 30 s into 11:00: the window is the 60 minutes 10:01 .. 11:00, the last one still filling up.
const now = new Date(base + 60 * MINUTE + 30_000);
const minuteAt = (index: number) => base + (index + 1) * MINUTE; // index 0 is 10:01, index 59 is 11:00

describe("requestSparklines", () => {
  it("gives each site its own zero-filled line, oldest minute first", async () => {
    await addTraffic([
      delta(blog, minuteAt(0), 4),
      delta(blog, minuteAt(10) + 42_000, 2), // inside the minute, not on its start
      delta(blog, minuteAt(59), 7),
      delta(shop, minuteAt(10), 5),
      delta(shop, minuteAt(30), 1),
    ]);
    const findMany = vi.spyOn(db().trafficMinute, "findMany");
    const lines = await requestSparklines([blog, shop, quiet], { now });
    expect(findMany).toHaveBeenCalledTimes(1); // one query for the whole list, not one per site
    findMany.mockRestore();
    expect([...lines.keys()]).toEqual([blog, shop, quiet]);
    for (const line of lines.values()) expect(line).toHaveLength(60);

    const expectedBlog = new Array<number>(60).fill(0);
    expectedBlog[0] = 4;
    expectedBlog[10] = 2;
    expectedBlog[59] = 7;
    expect(lines.get(blog)).toEqual(expectedBlog);
    const expectedShop = new Array<number>(60).fill(0);
    expectedShop[10] = 5;
    expectedShop[30] = 1;
    expect(lines.get(shop)).toEqual(expectedShop);
    expect(lines.get(quiet)).toEqual(new Array<number>(60).fill(0));
  });

  it("ignores minutes outside the window and sites not asked for", async () => {
    await addTraffic([
      delta(blog, base, 100), // 10:00: one minute too old
      delta(blog, base - 30 * MINUTE, 100),
      delta(blog, minuteAt(60), 100), // 11:01: after now
      delta(blog, minuteAt(20), 3),
      delta(shop, minuteAt(20), 9),
    ]);
    const lines = await requestSparklines([blog], { now });
    expect([...lines.keys()]).toEqual([blog]);
    expect(lines.get(blog)!.reduce((sum, value) => sum + value, 0)).toBe(3);
    expect(lines.get(blog)![20]).toBe(3);
  });

  it("takes the window length and answers an empty list without asking the database", async () => {
    await addTraffic([delta(blog, minuteAt(58), 1), delta(blog, minuteAt(59), 2), delta(blog, minuteAt(50), 5)]);
    expect((await requestSparklines([blog], { now, minutes: 3 })).get(blog)).toEqual([0, 1, 2]);
    const findMany = vi.spyOn(db().trafficMinute, "findMany");
    expect((await requestSparklines([], { now })).size).toBe(0);
    expect(findMany).not.toHaveBeenCalled();
    findMany.mockRestore();
    expect((await requestSparklines(["no-such-site"], { now })).get("no-such-site")).toEqual(new Array<number>(60).fill(0));
  });
});
