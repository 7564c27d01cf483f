import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "@/lib/traffic/latency-histogram";
import type { CacheOutcome, CacheStatus } from "../cache/cache-outcome";
import { type CountedRequest, topPathOf, TrafficCounter, WORKER_TOP_CAPACITY } from "./traffic-counter";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("TrafficCounter", () => {
  it("counts status classes, with 1xx and no answer as requests only", () => {
    const counter = new TrafficCounter({ clock: () => T0 + 10 });
    for (const status of [101, 200, 204, 301, 304, 404, 499, 500, 503, 0]) counter.count("a", status, 1, 10, 20);
    expect(counter.drain()).toEqual([
      expect.objectContaining({
        siteId: "a",
        minute: T0,
        requests: 10,
        status2xx: 2,
        status3xx: 2,
        status4xx: 2,
        status5xx: 2,
        bytesIn: 100,
        bytesOut: 200,
      }),
    ]);
    expect(counter.drain()).toEqual([]);
  });

  it("puts counts in the minute the clock says, split across a boundary", () => {
    let now = T0 + 59_999;
    const counter = new TrafficCounter({ clock: () => now });
    counter.count("a", 200, 5, 1, 1);
    now = T0 + MINUTE;
    counter.count("a", 500, 7, 1, 1);
    counter.count("a", 200, 9, 1, 1);
    const deltas = counter.drain().sort((x, y) => x.minute - y.minute);
    expect(deltas.map((d) => [d.minute, d.requests, d.status2xx, d.status5xx])).toEqual([
      [T0, 1, 1, 0],
      [T0 + MINUTE, 2, 1, 1],
    ]);
    expect(LatencyHistogram.fromSparse(deltas[1]!.latency).count).toBe(2);
  });

  it("holds at most two minutes per site between drains, losing no count", () => {
    let now = T0;
    const counter = new TrafficCounter({ clock: () => now });
    const sites = ["a", "b", "c"];
    let counted = 0;
    for (let i = 0; i < 20_000; i++) {
      now = T0 + Math.floor(i / 1000) * MINUTE + (i % 1000); // 20 minutes without a drain
      counter.count(sites[i % 3]!, 200, Math.random() * 500, 100, 1000);
      counted += 1;
      expect(counter.entryCount).toBeLessThanOrEqual(sites.length * 2);
    }
    // A late finisher for a minute long gone lands in the oldest slot kept.
    now = T0;
    counter.count("a", 200, 1, 100, 1000);
    counted += 1;
    expect(counter.entryCount).toBeLessThanOrEqual(6);
    const deltas = counter.drain();
    expect(deltas.length).toBeLessThanOrEqual(6);
    expect(deltas.reduce((sum, d) => sum + d.requests, 0)).toBe(counted);
    expect(deltas.reduce((sum, d) => sum + d.bytesOut, 0)).toBe(counted * 1000);
    expect(new Set(deltas.map((d) => d.minute)).size).toBeLessThanOrEqual(2);
  });

  it("keeps the latency histogram fixed-size and within 5%", () => {
    const counter = new TrafficCounter({ clock: () => T0 });
    const samples = Array.from({ length: 10_000 }, (_, i) => 1 + (i % 1000));
    for (const ms of samples) counter.count("a", 200, ms, 0, 0);
    const [delta] = counter.drain();
    const histogram = LatencyHistogram.fromSparse(delta!.latency);
    expect(Object.keys(delta!.latency).length).toBeLessThanOrEqual(290);
    for (const [p, exact] of [
      [0.5, 500],
      [0.95, 950],
      [0.99, 990],
    ] as const) {
      const read = histogram.percentile(p)!;
      expect(read).toBeGreaterThanOrEqual(exact);
      expect(read).toBeLessThanOrEqual(exact * 1.05);
    }
  });

  it("keeps the top paths, client addresses and exact status codes of each minute", () => {
    let now = T0 + 5;
    const counter = new TrafficCounter({ clock: () => now });
    const requests: [string, string, number][] = [
      ["/", "10.0.0.1", 200],
      ["/", "10.0.0.1", 200],
      ["/", "10.0.0.2", 304],
      ["/login", "10.0.0.2", 401],
      ["/login", "10.0.0.2", 200],
      ["/missing", "2001:db8::1", 404],
      ["/ws", "10.0.0.3", 101],
      ["/gone", "10.0.0.3", 0],
    ];
    for (const [path, ip, status] of requests) counter.count("a", status, 1, 0, 0, path, ip);
    now = T0 + MINUTE;
    counter.count("a", 500, 1, 0, 0, "/", "10.0.0.9");
    counter.count("b", 200, 1, 0, 0); // no request to take a path or an address from: statuses only
    const deltas = counter.drain().sort((x, y) => x.siteId.localeCompare(y.siteId) || x.minute - y.minute);
    expect(deltas.map((d) => [d.siteId, d.minute, d.top])).toEqual([
      [
        "a",
        T0,
        {
          paths: { "/": 3, "/login": 2, "/gone": 1, "/missing": 1, "/ws": 1 },
          clientIps: { "10.0.0.2": 3, "10.0.0.1": 2, "10.0.0.3": 2, "2001:db8::1": 1 },
          statuses: { "200": 3, "0": 1, "101": 1, "304": 1, "401": 1, "404": 1 },
        },
      ],
      ["a", T0 + MINUTE, { paths: { "/": 1 }, clientIps: { "10.0.0.9": 1 }, statuses: { "500": 1 } }],
      ["b", T0 + MINUTE, { paths: {}, clientIps: {}, statuses: { "200": 1 } }],
    ]);
    // Largest first, so that a reader can cut the list anywhere.
    expect(Object.keys(deltas[0]!.top.paths)).toEqual(["/", "/login", "/gone", "/missing", "/ws"]);
  });

  it("folds a third minute's top tables into the next one with its counts", () => {
    let now = T0;
    const counter = new TrafficCounter({ clock: () => now });
    for (let minute = 0; minute < 3; minute++) {
      now = T0 + minute * MINUTE;
      counter.count("a", 200, 1, 0, 0, `/m${minute}`, "10.0.0.1");
    }
    const deltas = counter.drain();
    expect(deltas).toHaveLength(2);
    const paths = Object.assign({}, ...deltas.map((d) => d.top.paths)) as Record<string, number>;
    expect(paths).toEqual({ "/m0": 1, "/m1": 1, "/m2": 1 });
    expect(deltas.reduce((sum, d) => sum + (d.top.clientIps["10.0.0.1"] ?? 0), 0)).toBe(3);
  });

  it("stays bounded under 50,000 random paths and addresses, and still finds the heavy ones", () => {
    const counter = new TrafficCounter({ clock: () => T0 });
    let hot = 0;
    for (let i = 0; i < 50_000; i++) {
      if (i % 10 === 0) {
        counter.count("a", 200, 1, 0, 0, "/hot", "192.0.2.1");
        hot += 1;
      } else {
        counter.count("a", 200, 1, 0, 0, `/r/${Math.random().toString(36).slice(2)}`, `10.${i % 250}.${Math.floor(Math.random() * 250)}.${i % 200}`);
      }
    }
    const [delta] = counter.drain();
    expect(Object.keys(delta!.top.paths).length).toBeLessThanOrEqual(WORKER_TOP_CAPACITY);
    expect(Object.keys(delta!.top.clientIps).length).toBeLessThanOrEqual(WORKER_TOP_CAPACITY);
    expect(Object.keys(delta!.top.paths)[0]).toBe("/hot");
    expect(delta!.top.paths["/hot"]).toBeLessThanOrEqual(hot);
    expect(delta!.top.paths["/hot"]).toBeGreaterThanOrEqual(hot - 50_000 / WORKER_TOP_CAPACITY);
    expect(Object.keys(delta!.top.clientIps)[0]).toBe("192.0.2.1");
    expect(delta!.top.statuses).toEqual({ "200": 50_000 });
  });
});

/** A finished request as the pipeline hands it over, with what the cache (and compression) did. */
function finished(cache: CacheOutcome | null, coded: CountedRequest["coded"] = null): CountedRequest {
  return {
    req: { method: "GET", url: "/asset.js?v=1", headers: {} } as IncomingMessage,
    client: { ip: "10.0.0.1", scheme: null, peer: "10.0.0.1", viaTrustedProxy: false },
    blockedBy: null,
    coded,
    cache,
  };
}

describe("TrafficCounter's cache counts", () => {
  it("counts HIT, STALE and REVALIDATED as hits, MISS as a miss, BYPASS as neither, and sums the bytes saved", () => {
    const counter = new TrafficCounter({ clock: () => T0 + 1 });
    const outcomes: [CacheStatus, number][] = [
      ["HIT", 1000],
      ["HIT", 24],
      ["STALE", 300],
      ["REVALIDATED", 4000],
      ["MISS", 0],
      ["MISS", 0],
      ["BYPASS", 0],
    ];
    for (const [status, bytesSaved] of outcomes) counter.record("a", finished({ status, bytesSaved }), 200, 1, 10, 100);
    counter.record("a", finished(null), 200, 1, 10, 100); // a site without a cache
    expect(counter.drain()).toEqual([
      expect.objectContaining({ siteId: "a", requests: 8, status2xx: 8, cacheHits: 4, cacheMisses: 2, bytesSavedCache: 5324 }),
    ]);
  });

  it("counts each status on its own", () => {
    const expected: Record<CacheStatus, [number, number]> = { HIT: [1, 0], STALE: [1, 0], REVALIDATED: [1, 0], MISS: [0, 1], BYPASS: [0, 0] };
    for (const [status, [hits, misses]] of Object.entries(expected) as [CacheStatus, [number, number]][]) {
      const counter = new TrafficCounter({ clock: () => T0 });
      counter.record("a", finished({ status, bytesSaved: 0 }), 200, 1, 0, 0);
      const [delta] = counter.drain();
      expect([status, delta!.cacheHits, delta!.cacheMisses]).toEqual([status, hits, misses]);
    }
  });

  it("keeps cache and compression savings apart, per site and minute, and across a folded minute", () => {
    let now = T0;
    const counter = new TrafficCounter({ clock: () => now });
    counter.record("a", finished({ status: "HIT", bytesSaved: 5000 }, { in: 5000, out: 1200 }), 200, 1, 0, 1200);
    counter.record("b", finished({ status: "MISS", bytesSaved: 0 }, { in: 800, out: 300 }), 200, 1, 0, 300);
    now = T0 + MINUTE;
    counter.record("a", finished({ status: "STALE", bytesSaved: 70 }), 200, 1, 0, 70);
    now = T0 + 2 * MINUTE; // a third minute without a drain folds the first into the second
    counter.record("a", finished({ status: "MISS", bytesSaved: 0 }), 200, 1, 0, 70);
    const deltas = counter.drain().sort((x, y) => x.siteId.localeCompare(y.siteId) || x.minute - y.minute);
    const totals = (siteId: string) =>
      deltas
        .filter((d) => d.siteId === siteId)
        .reduce(
          (sum, d) => [sum[0]! + d.cacheHits, sum[1]! + d.cacheMisses, sum[2]! + d.bytesSavedCache, sum[3]! + d.bytesSavedCompression],
          [0, 0, 0, 0],
        );
    expect(totals("a")).toEqual([2, 1, 5070, 3800]);
    expect(totals("b")).toEqual([0, 1, 0, 500]);
    expect(counter.drain()).toEqual([]);
  });

  it("counts nothing for the cache when count() is called without an outcome", () => {
    const counter = new TrafficCounter({ clock: () => T0 });
    counter.count("a", 200, 1, 10, 20);
    expect(counter.drain()[0]).toMatchObject({ cacheHits: 0, cacheMisses: 0, bytesSavedCache: 0 });
  });
});

describe("topPathOf", () => {
  it("keeps the path as sent, without its query, at most 200 characters", () => {
    expect(topPathOf("/")).toBe("/");
    expect(topPathOf("/search?q=shoes&page=2")).toBe("/search");
    expect(topPathOf("/a%20b/c?")).toBe("/a%20b/c");
    expect(topPathOf(`/${"x".repeat(300)}?q=1`)).toBe(`/${"x".repeat(199)}`);
    expect(topPathOf("http://example.com/shop/cart?id=1")).toBe("/shop/cart");
    expect(topPathOf("http://example.com?x=1")).toBe("/");
    expect(topPathOf("*")).toBe("*");
    expect(topPathOf(undefined)).toBe("/");
  });
});
