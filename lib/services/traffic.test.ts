import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test-support/database";
import { db } from "../db";
import { AppError } from "../errors";
import { LatencyHistogram } from "../traffic/latency-histogram";
import type { TrafficDelta } from "../traffic/traffic-delta";
import { trafficRetention } from "../env/traffic-retention";
import { createSite, deleteSite } from "./sites";
import { addTraffic, rollUpAndPrune, trafficSeries } from "./traffic";

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
    latency: histogramOf(latencies).toSparse(),
    ...extra,
  };
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
    await addTraffic([delta(blog, minute, 4, [], { status2xx: 4, bytesIn: 4_000_000_000, bytesOut: 0 })]);
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
    for (const [p, value] of [[0.5, point!.p50Ms], [0.95, point!.p95Ms], [0.99, point!.p99Ms]] as const) {
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
    for (let m = 0; m < 150; m += 5) deltas.push(delta(blog, base + m * MINUTE, 2, [10, 20]), delta(shop, base + m * MINUTE, 1, [100]));
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
        latency: row.latency,
      }));
    const rolled = await hours();
    expect(rolled).toHaveLength(4);
    expect(rolled.find((row) => row.siteId === blog && row.hour === base)).toMatchObject({ requests: 24, bytesOut: 24_000n });
    expect(rolled.find((row) => row.siteId === shop && row.hour === base + HOUR)).toMatchObject({ requests: 12 });
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
    await addTraffic([delta(blog, base + MINUTE, 2, [5, 5]), delta(shop, base + MINUTE, 3, [50, 50, 50]), delta(shop, base + 3 * MINUTE, 1, [7])]);
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
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
    });
    expect(series[1]).toMatchObject({ status2xx: 5, bytesIn: 500, bytesOut: 5000 });
    expect(series[1]!.p99Ms).toBeGreaterThanOrEqual(50);
    const blogOnly = await trafficSeries({ siteId: blog, from: new Date(base), to: new Date(base + 5 * MINUTE), stepSeconds: 60 });
    expect(blogOnly.map((point) => point.requests)).toEqual([0, 2, 0, 0, 0]);
  });

  it("aggregates minute rows for other steps", async () => {
    await addTraffic([delta(blog, base, 1), delta(blog, base + 4 * MINUTE, 2), delta(blog, base + 5 * MINUTE, 4)]);
    const series = await trafficSeries({ from: new Date(base), to: new Date(base + 15 * MINUTE), stepSeconds: 300 });
    expect(series.map((point) => point.requests)).toEqual([3, 4, 0]);
  });

  it("uses hour rows once the minute rows are gone", async () => {
    const deltas: TrafficDelta[] = [];
    for (let h = 0; h < 4; h++) deltas.push(delta(blog, base + h * HOUR + 10 * MINUTE, h + 1, [20]), delta(shop, base + h * HOUR, 10));
    await addTraffic(deltas);
    const query = { from: new Date(base), to: new Date(base + 4 * HOUR), stepSeconds: 3600 };
    const before = await trafficSeries(query);
    expect(before.map((point) => point.requests)).toEqual([11, 12, 13, 14]);

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
      const caught = await promise.then(() => null, (reason: unknown) => reason);
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
