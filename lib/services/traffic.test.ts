import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { AppError } from "../errors";
import { LatencyHistogram } from "../traffic/latency-histogram";
import type { TopCounts, TrafficDelta } from "../traffic/traffic-delta";
import { trafficRetention } from "../env/traffic-retention";
import { createSite, deleteSite } from "./sites";
import { addTraffic, parseTop, rollUpAndPrune, TOP_PER_ROW, trafficSeries, trafficTop } from "./traffic";

const MINUTE = 60_000;
const HOUR = 3_600_000;

let cleanup: () => Promise<void>;
let blog: string;
let shop: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  blog = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] })).id;
  shop = (await createSite({ name: "Shop", hostnames: ["shop.example.com"], upstreams: [{ url: "http://10.0.0.6:8080" }] })).id;
});
afterEach(() => cleanup());

function histogramOf(latencies: number[]): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const ms of latencies) histogram.record(ms);
  return histogram;
}

function delta(siteId: string, minute: number, requests: number, latencies: number[] = [], extra: Partial<TrafficDelta> = {}): TrafficDelta {
  return {
    siteId,
    minute,
    requests,
    status2xx: requests,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    bytesIn: requests * 100,
    bytesOut: requests * 1000,
    bytesSavedCompression: 0,
    cacheHits: 0,
    cacheMisses: 0,
    bytesSavedCache: 0,
    connections: 0,
    connectionMs: 0,
    latency: histogramOf(latencies).toSparse(),
    top: { paths: {}, clientIps: {}, statuses: {} },
    ...extra,
  };
}

/** A delta carrying top tables (requests = the sum of its paths). */
function topDelta(siteId: string, minute: number, top: Partial<TopCounts>): TrafficDelta {
  const requests = Object.values(top.paths ?? {}).reduce((sum, count) => sum + count, 0);
  return delta(siteId, minute, requests, [], { top: { paths: {}, clientIps: {}, statuses: {}, ...top } });
}

/** `count` paths /p0, /p1, ... with counts count, count - 1, ..., 1. */
function descendingPaths(count: number, prefix = "/p"): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, count - i]));
}

/** Exact percentile of a list of samples (nearest rank). */
function truePercentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

const base = Date.UTC(2026, 10, 23, 10, 0, 0); // 10:00 UTC, an hour boundary

describe("addTraffic", () => {
  it("adds several batches for the same minute exactly", async () => {
    const minute = base + 5 * MINUTE;
    await addTraffic([delta(blog, minute, 3, [], { status2xx: 1, status3xx: 1, status4xx: 1, bytesIn: 10, bytesOut: 20 })]);
    await addTraffic([
      delta(blog, minute, 2, [], { status2xx: 0, status5xx: 2, bytesIn: 5, bytesOut: 7 }),
      delta(blog, minute + 17_000, 1, [], { status2xx: 1, bytesIn: 1, bytesOut: 3 }), // same minute, not aligned
    ]);
    await addTraffic([
      delta(blog, minute, 4, [], { status2xx: 4, bytesIn: 4_000_000_000, bytesOut: 0, cacheHits: 3, cacheMisses: 1, bytesSavedCache: 9000 }),
    ]);
    await addTraffic([delta(blog, minute, 0, [], { cacheHits: 2, bytesSavedCache: 5_000_000_000 })]);
    // A worker of an older build sends no cache counts: its requests still count, the cache's stay.
    const { cacheHits, cacheMisses, bytesSavedCache, ...older } = delta(blog, minute, 0);
    await addTraffic([older as TrafficDelta]);
    const rows = await db().trafficMinute.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      siteId: blog,
      requests: 10,
      status2xx: 6,
      status3xx: 1,
      status4xx: 1,
      status5xx: 2,
      bytesIn: 4_000_000_016n,
      bytesOut: 30n,
      cacheHits: 5,
      cacheMisses: 1,
      bytesSavedCache: 5_000_009_000n,
    });
    expect(rows[0]!.minute.getTime()).toBe(minute);
  });

  it("merges latency histograms exactly, so percentiles stay within 5%", async () => {
    const minute = base;
    const batches = [
      Array.from({ length: 500 }, (_, i) => 1 + i * 0.1),
      Array.from({ length: 300 }, (_, i) => 40 + i),
      Array.from({ length: 200 }, (_, i) => 900 + i * 7),
    ];
    for (const batch of batches) await addTraffic([delta(blog, minute, batch.length, batch)]);
    const all = batches.flat();
    const [point] = await trafficSeries({ siteId: blog, from: new Date(minute), to: new Date(minute + MINUTE), stepSeconds: 60 });
    expect(point!.requests).toBe(1000);
    for (const [p, value] of [
      [0.5, point!.p50Ms],
      [0.95, point!.p95Ms],
      [0.99, point!.p99Ms],
    ] as const) {
      const truth = truePercentile(all, p);
      expect(Math.abs(value! - truth) / truth).toBeLessThanOrEqual(0.05);
    }
    const row = await db().trafficMinute.findFirstOrThrow();
    expect(row.latency).toBe(JSON.stringify(histogramOf(all).toSparse()));
  });

  it("drops deltas of sites that no longer exist", async () => {
    await deleteSite(shop);
    await addTraffic([delta(shop, base, 5), delta("no-such-site", base, 1), delta(blog, base, 2)]);
    const rows = await db().trafficMinute.findMany();
    expect(rows.map((row) => [row.siteId, row.requests])).toEqual([[blog, 2]]);
  });
});

describe("rollUpAndPrune", () => {
  it("rolls complete hours into hour rows, idempotently", async () => {
    // Two complete hours (10:00 and 11:00) and part of the current one (12:00).
    const deltas: TrafficDelta[] = [];
    for (let m = 0; m < 150; m += 5) {
      deltas.push(
        delta(blog, base + m * MINUTE, 2, [10, 20], { cacheHits: 2, bytesSavedCache: 4096, bytesSavedCompression: 100 }),
        delta(shop, base + m * MINUTE, 1, [100], { cacheMisses: 1 }),
      );
    }
    await addTraffic(deltas);
    const now = new Date(base + 2 * HOUR + 40 * MINUTE); // 12:40

    const first = await rollUpAndPrune(now, { minuteHours: 48, hourDays: 90 });
    expect(first.hoursWritten).toBe(4);
    const hours = async () =>
      (await db().trafficHour.findMany({ orderBy: [{ hour: "asc" }, { siteId: "asc" }] })).map((row) => ({
        siteId: row.siteId,
        hour: row.hour.getTime(),
        requests: row.requests,
        bytesOut: row.bytesOut,
        bytesSavedCompression: row.bytesSavedCompression,
        cacheHits: row.cacheHits,
        cacheMisses: row.cacheMisses,
        bytesSavedCache: row.bytesSavedCache,
        latency: row.latency,
      }));
    const rolled = await hours();
    expect(rolled).toHaveLength(4);
    // Twelve 5-minute deltas an hour, every column summed.
    expect(rolled.find((row) => row.siteId === blog && row.hour === base)).toMatchObject({
      requests: 24,
      bytesOut: 24_000n,
      bytesSavedCompression: 1200n,
      cacheHits: 24,
      cacheMisses: 0,
      bytesSavedCache: 12n * 4096n,
    });
    expect(rolled.find((row) => row.siteId === shop && row.hour === base + HOUR)).toMatchObject({
      requests: 12,
      cacheHits: 0,
      cacheMisses: 12,
      bytesSavedCache: 0n,
    });
    expect(rolled.some((row) => row.hour === base + 2 * HOUR)).toBe(false); // 12:00 is not complete
    expect(JSON.parse(rolled.find((row) => row.siteId === blog && row.hour === base)!.latency)).toEqual(
      histogramOf(Array.from({ length: 12 }, () => [10, 20]).flat()).toSparse(),
    );

    await rollUpAndPrune(now, { minuteHours: 48, hourDays: 90 });
    await rollUpAndPrune(new Date(now.getTime() + 5 * MINUTE), { minuteHours: 48, hourDays: 90 });
    expect(await hours()).toEqual(rolled);

    // A late delta for 11:59 reaches the database after the hour ended: the next run counts it.
    await addTraffic([delta(blog, base + HOUR + 59 * MINUTE, 3)]);
    await rollUpAndPrune(now, { minuteHours: 48, hourDays: 90 });
    expect((await hours()).find((row) => row.siteId === blog && row.hour === base + HOUR)).toMatchObject({ requests: 27 });
  });

  it("deletes minute rows older than 48 hours and hour rows older than 90 days", async () => {
    const now = base + 100 * 24 * HOUR;
    await addTraffic([
      delta(blog, now - 49 * HOUR, 1),
      delta(blog, now - 47 * HOUR, 1),
      delta(blog, now - 91 * 24 * HOUR, 1),
      delta(blog, now - 89 * 24 * HOUR, 1),
    ]);
    const result = await rollUpAndPrune(new Date(now), trafficRetention({}));
    expect(result.minuteRowsDeleted).toBe(3);
    expect(result.hourRowsDeleted).toBe(1);
    const minutes = await db().trafficMinute.findMany();
    expect(minutes.map((row) => row.minute.getTime())).toEqual([now - 47 * HOUR]);
    const hours = await db().trafficHour.findMany({ orderBy: { hour: "asc" } });
    expect(hours.map((row) => row.hour.getTime())).toEqual([now - 89 * 24 * HOUR, now - 49 * HOUR, now - 47 * HOUR]);

    // Nothing is lost by running again after the minute rows are gone.
    await rollUpAndPrune(new Date(now + HOUR), trafficRetention({}));
    expect((await db().trafficHour.findMany()).map((row) => row.requests)).toEqual([1, 1, 1]);
  });

  it("reads retention from the environment", () => {
    expect(trafficRetention({})).toEqual({ minuteHours: 48, hourDays: 90 });
    expect(trafficRetention({ TRAFFIC_MINUTE_RETENTION_HOURS: "24", TRAFFIC_HOUR_RETENTION_DAYS: "30" })).toEqual({ minuteHours: 24, hourDays: 30 });
    expect(() => trafficRetention({ TRAFFIC_HOUR_RETENTION_DAYS: "soon" })).toThrow(/TRAFFIC_HOUR_RETENTION_DAYS/);
  });
});

describe("trafficSeries", () => {
  it("zero-fills minutes without traffic and sums across sites", async () => {
    await addTraffic([
      delta(blog, base + MINUTE, 2, [5, 5], { bytesSavedCompression: 700, cacheHits: 1, cacheMisses: 1, bytesSavedCache: 2048 }),
      delta(shop, base + MINUTE, 3, [50, 50, 50], { bytesSavedCompression: 50, cacheHits: 2, bytesSavedCache: 300 }),
      delta(shop, base + 3 * MINUTE, 1, [7], { cacheMisses: 1 }),
    ]);
    const series = await trafficSeries({ from: new Date(base), to: new Date(base + 5 * MINUTE), stepSeconds: 60 });
    expect(series.map((point) => point.t)).toEqual([0, 1, 2, 3, 4].map((m) => new Date(base + m * MINUTE).toISOString()));
    expect(series.map((point) => point.requests)).toEqual([0, 5, 0, 1, 0]);
    expect(series[0]).toEqual({
      t: new Date(base).toISOString(),
      requests: 0,
      status2xx: 0,
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
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
    });
    expect(series[1]).toMatchObject({
      status2xx: 5,
      bytesIn: 500,
      bytesOut: 5000,
      bytesSavedCompression: 750,
      cacheHits: 3,
      cacheMisses: 1,
      bytesSavedCache: 2348,
    });
    expect(series[3]).toMatchObject({ cacheHits: 0, cacheMisses: 1, bytesSavedCache: 0 });
    expect(series[1]!.p99Ms).toBeGreaterThanOrEqual(50);
    const blogOnly = await trafficSeries({ siteId: blog, from: new Date(base), to: new Date(base + 5 * MINUTE), stepSeconds: 60 });
    expect(blogOnly.map((point) => point.requests)).toEqual([0, 2, 0, 0, 0]);
    expect(blogOnly[1]).toMatchObject({ cacheHits: 1, cacheMisses: 1, bytesSavedCache: 2048 });
  });

  it("aggregates minute rows for other steps", async () => {
    await addTraffic([delta(blog, base, 1), delta(blog, base + 4 * MINUTE, 2), delta(blog, base + 5 * MINUTE, 4)]);
    const series = await trafficSeries({ from: new Date(base), to: new Date(base + 15 * MINUTE), stepSeconds: 300 });
    expect(series.map((point) => point.requests)).toEqual([3, 4, 0]);
  });

  it("uses hour rows once the minute rows are gone", async () => {
    const deltas: TrafficDelta[] = [];
    for (let h = 0; h < 4; h++) {
      deltas.push(
        delta(blog, base + h * HOUR + 10 * MINUTE, h + 1, [20], { bytesSavedCompression: 1000 * h, cacheHits: h, bytesSavedCache: 10_000 * h }),
        delta(shop, base + h * HOUR, 10, [], { cacheMisses: 2 }),
      );
    }
    await addTraffic(deltas);
    const query = { from: new Date(base), to: new Date(base + 4 * HOUR), stepSeconds: 3600 };
    const before = await trafficSeries(query);
    expect(before.map((point) => point.requests)).toEqual([11, 12, 13, 14]);
    expect(before.map((point) => point.bytesSavedCompression)).toEqual([0, 1000, 2000, 3000]);
    expect(before.map((point) => [point.cacheHits, point.cacheMisses, point.bytesSavedCache])).toEqual([
      [0, 2, 0],
      [1, 2, 10_000],
      [2, 2, 20_000],
      [3, 2, 30_000],
    ]);

    // 50 h later: the 10:00 and 11:00 minute rows are pruned, 12:00 and 13:00 remain.
    await rollUpAndPrune(new Date(base + 50 * HOUR), { minuteHours: 48, hourDays: 90 });
    expect((await db().trafficMinute.findMany()).map((row) => row.minute.getTime() - base).sort((a, b) => a - b)).toEqual([
      2 * HOUR,
      2 * HOUR + 10 * MINUTE,
      3 * HOUR,
      3 * HOUR + 10 * MINUTE,
    ]);
    const after = await trafficSeries(query);
    expect(after).toEqual(before);
    expect(after[0]!.p50Ms).not.toBeNull();

    const blogOnly = await trafficSeries({ ...query, siteId: blog });
    expect(blogOnly.map((point) => point.requests)).toEqual([1, 2, 3, 4]);
    // Minute-level steps have nothing left for the pruned hours.
    const minutes = await trafficSeries({ ...query, stepSeconds: 60 });
    expect(minutes.reduce((sum, point) => sum + point.requests, 0)).toBe(27);
  });

  it("refuses too many points, bad steps, empty ranges and unknown sites", async () => {
    const error = async (promise: Promise<unknown>) => {
      const caught = await promise.then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(caught).toBeInstanceOf(AppError);
      return caught as AppError;
    };
    const tooMany = await error(trafficSeries({ from: new Date(base), to: new Date(base + 30 * 24 * HOUR), stepSeconds: 60 }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.details.step).toMatch(/at least 1320 seconds/);
    expect((await error(trafficSeries({ from: new Date(base), to: new Date(base + HOUR), stepSeconds: 90 }))).details.step).toBeDefined();
    expect((await error(trafficSeries({ from: new Date(base), to: new Date(base), stepSeconds: 60 }))).details.from).toBeDefined();
    expect((await error(trafficSeries({ siteId: "nope", from: new Date(base), to: new Date(base + HOUR), stepSeconds: 60 }))).status).toBe(404);
  });
});

describe("top tables", () => {
  it("sums them in addTraffic, across batches and deltas of the same minute", async () => {
    const minute = base + 7 * MINUTE;
    await addTraffic([
      topDelta(blog, minute, { paths: { "/": 3, "/a": 1 }, clientIps: { "10.0.0.1": 4 }, statuses: { "200": 4 } }),
      topDelta(blog, minute + 30_000, { paths: { "/a": 2 }, clientIps: { "10.0.0.2": 2 }, statuses: { "404": 2 } }),
      topDelta(shop, minute, { paths: { "/shop": 5 } }),
    ]);
    await addTraffic([topDelta(blog, minute, { paths: { "/a": 4, "/b": 1 }, clientIps: { "10.0.0.1": 5 }, statuses: { "200": 5 } })]);
    const row = await db().trafficMinute.findUniqueOrThrow({ where: { siteId_minute: { siteId: blog, minute: new Date(minute) } } });
    expect(parseTop(row.top)).toEqual({
      paths: { "/a": 7, "/": 3, "/b": 1 },
      clientIps: { "10.0.0.1": 9, "10.0.0.2": 2 },
      statuses: { "200": 9, "404": 2 },
    });
    expect(Object.keys(parseTop(row.top).paths)).toEqual(["/a", "/", "/b"]);
    expect(row.requests).toBe(11);
  });

  it("keeps only the largest entries per kind in a row, so storage does not grow with distinct keys", async () => {
    const minute = base;
    await addTraffic([topDelta(blog, minute, { paths: descendingPaths(30), clientIps: descendingPaths(64, "10.0.0.") })]);
    let top = parseTop((await db().trafficMinute.findFirstOrThrow()).top);
    expect(Object.keys(top.paths)).toEqual(Array.from({ length: TOP_PER_ROW }, (_, i) => `/p${i}`));
    expect(Object.keys(top.clientIps)).toHaveLength(TOP_PER_ROW);
    // Many more batches of fresh keys, each seen once: the row stays the same size.
    for (let batch = 0; batch < 20; batch++) {
      const once = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`/batch${batch}/${i}`, 1]));
      await addTraffic([topDelta(blog, minute, { paths: once })]);
    }
    top = parseTop((await db().trafficMinute.findFirstOrThrow()).top);
    expect(Object.keys(top.paths)).toHaveLength(TOP_PER_ROW);
    expect(top.paths["/p0"]).toBe(30); // the heaviest key stays
    expect((await db().trafficMinute.findFirstOrThrow()).top.length).toBeLessThan(2_000);
  });

  it("rolls minute tables up into hour tables, trimmed, idempotently", async () => {
    const deltas: TrafficDelta[] = [];
    for (let m = 0; m < 60; m += 2) {
      // /common in every minute row; a different long tail each minute, cut from each row after 20.
      deltas.push(
        topDelta(blog, base + m * MINUTE, { paths: { "/common": 10, ...descendingPaths(25, `/m${m}/`) }, statuses: { "200": 3, "500": 1 } }),
      );
    }
    await addTraffic(deltas);
    const now = new Date(base + HOUR + 30 * MINUTE);
    await rollUpAndPrune(now, { minuteHours: 48, hourDays: 90 });
    const hour = await db().trafficHour.findUniqueOrThrow({ where: { siteId_hour: { siteId: blog, hour: new Date(base) } } });
    const top = parseTop(hour.top);
    expect(Object.keys(top.paths)).toHaveLength(TOP_PER_ROW);
    // Each minute row kept /common (10) among its 20 largest: the hour sums the 30 rows.
    expect(top.paths["/common"]).toBe(300);
    expect(Object.keys(top.paths)[0]).toBe("/common");
    expect(top.statuses).toEqual({ "200": 90, "500": 30 });
    await rollUpAndPrune(new Date(now.getTime() + 5 * MINUTE), { minuteHours: 48, hourDays: 90 });
    expect((await db().trafficHour.findFirstOrThrow()).top).toBe(hour.top);
  });
});

describe("trafficTop", () => {
  it("sums minute rows of the range, per site or for all sites, largest first", async () => {
    await addTraffic([
      topDelta(blog, base, { paths: { "/": 5, "/a": 1 }, clientIps: { "10.0.0.1": 6 }, statuses: { "200": 6 } }),
      topDelta(blog, base + 10 * MINUTE, { paths: { "/a": 6 }, clientIps: { "10.0.0.2": 6 }, statuses: { "200": 4, "404": 2 } }),
      topDelta(shop, base + 10 * MINUTE, { paths: { "/": 2 }, clientIps: { "10.0.0.2": 2 }, statuses: { "500": 2 } }),
      topDelta(blog, base + 30 * MINUTE, { paths: { "/late": 50 } }), // outside the range below
    ]);
    const range = { from: new Date(base), to: new Date(base + 30 * MINUTE) };
    expect(await trafficTop({ ...range, siteId: blog })).toEqual({
      requests: 12,
      paths: [
        { key: "/a", count: 7 },
        { key: "/", count: 5 },
      ],
      clientIps: [
        { key: "10.0.0.1", count: 6 },
        { key: "10.0.0.2", count: 6 },
      ],
      statuses: [
        { key: "200", count: 10 },
        { key: "404", count: 2 },
      ],
    });
    const all = await trafficTop(range);
    expect(all.requests).toBe(14);
    expect(all.paths).toEqual([
      { key: "/", count: 7 },
      { key: "/a", count: 7 },
    ]);
    expect(all.clientIps[0]).toEqual({ key: "10.0.0.2", count: 8 });
    expect((await trafficTop({ ...range, limit: 1 })).statuses).toEqual([{ key: "200", count: 10 }]);
    expect(await trafficTop({ from: new Date(base + HOUR), to: new Date(base + 2 * HOUR) })).toEqual({
      requests: 0,
      paths: [],
      clientIps: [],
      statuses: [],
    });
  });

  it("reads rolled-up hours from hour rows, and the rest from minute rows", async () => {
    const deltas: TrafficDelta[] = [];
    for (let h = 0; h < 4; h++) {
      for (const m of [0, 20, 40]) deltas.push(topDelta(blog, base + h * HOUR + m * MINUTE, { paths: { [`/h${h}`]: 1, "/all": 2 } }));
    }
    await addTraffic(deltas);
    const query = { siteId: blog, from: new Date(base), to: new Date(base + 4 * HOUR), limit: 20 };
    const before = await trafficTop(query);
    expect(before.paths).toEqual([
      { key: "/all", count: 24 },
      { key: "/h0", count: 3 },
      { key: "/h1", count: 3 },
      { key: "/h2", count: 3 },
      { key: "/h3", count: 3 },
    ]);

    // 10:00 to 13:00 rolled up: reading them from hour rows gives the same answer...
    await rollUpAndPrune(new Date(base + 3 * HOUR + 30 * MINUTE), { minuteHours: 48, hourDays: 90 });
    expect(await trafficTop(query)).toEqual(before);
    // ...and it is the hour rows that are read: change one, and the answer follows.
    await db().trafficHour.update({
      where: { siteId_hour: { siteId: blog, hour: new Date(base) } },
      data: { top: JSON.stringify({ paths: { "/h0": 1000 } }) },
    });
    expect((await trafficTop(query)).paths[0]).toEqual({ key: "/h0", count: 1000 });
    // A range that starts inside an hour reads that hour's minute rows from its start.
    const partial = await trafficTop({ ...query, from: new Date(base + 30 * MINUTE) });
    expect(partial.paths).toContainEqual({ key: "/h0", count: 1 });
    expect(partial.paths[0]).toEqual({ key: "/all", count: 20 });

    // Once the minute rows are pruned, the hour rows still answer.
    await rollUpAndPrune(new Date(base + 52 * HOUR), { minuteHours: 48, hourDays: 90 });
    expect(await db().trafficMinute.count()).toBe(0);
    const after = await trafficTop({ ...query, siteId: undefined });
    expect(after.paths.map((entry) => entry.key)).toEqual(["/h0", "/all", "/h1", "/h2", "/h3"]);
    expect(after.requests).toBe(36);
  });

  it("refuses a bad limit, an empty range and an unknown site", async () => {
    const error = async (promise: Promise<unknown>) => {
      const caught = await promise.then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(caught).toBeInstanceOf(AppError);
      return caught as AppError;
    };
    const range = { from: new Date(base), to: new Date(base + HOUR) };
    expect((await error(trafficTop({ ...range, limit: 0 }))).details.limit).toBeDefined();
    expect((await error(trafficTop({ ...range, limit: TOP_PER_ROW + 1 }))).details.limit).toBeDefined();
    expect((await error(trafficTop({ from: range.to, to: range.from }))).details.from).toBeDefined();
    expect((await error(trafficTop({ ...range, siteId: "nope" }))).status).toBe(404);
  });
});
