import { describe, expect, it } from "vitest";
import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import { AccessLogRings } from "./access-log-ring";
import { BoundedRing } from "./bounded-ring";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function entry(n: number, fields: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    time: T0 + n,
    siteId: "blog",
    method: "GET",
    host: "blog.test",
    path: `/page/${n}`,
    status: 200,
    latencyMs: 1,
    bytesIn: 100,
    bytesOut: 200,
    clientIp: "127.0.0.1",
    userAgent: "test",
    ...fields,
  };
}

const paths = (entries: AccessLogEntry[]) => entries.map((e) => e.path);

describe("BoundedRing", () => {
  it("keeps the newest items once it wraps around, in order both ways", () => {
    const ring = new BoundedRing<number>(3);
    expect([...ring.newestFirst()]).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect([...ring.newestFirst()]).toEqual([2, 1]);
    expect(ring.toArray()).toEqual([1, 2]);
    for (const n of [3, 4, 5, 6, 7]) ring.push(n);
    expect(ring.size).toBe(3);
    expect([...ring.newestFirst()]).toEqual([7, 6, 5]);
    expect(ring.toArray()).toEqual([5, 6, 7]);
  });

  it("refuses a capacity that cannot hold anything", () => {
    expect(() => new BoundedRing(0)).toThrow(RangeError);
  });
});

describe("AccessLogRings", () => {
  it("keeps 10,000 of 100,000 entries: the newest, and no more", () => {
    const rings = new AccessLogRings({ ringSize: 10_000 });
    for (let start = 0; start < 100_000; start += 1_000) {
      rings.add(Array.from({ length: 1_000 }, (_, i) => entry(start + i)));
    }
    expect(rings.sizeOf("blog")).toBe(10_000);
    const page = rings.query("blog", { limit: 1000 });
    expect(page.total).toBe(10_000);
    expect(page.entries).toHaveLength(1000);
    expect(page.entries[0]!.path).toBe("/page/99999");
    expect(page.entries[999]!.path).toBe("/page/99000");
    // The oldest kept is number 90,000: everything before it was overwritten.
    expect(rings.query("blog", { path: "/page/90000" }).total).toBe(1);
    expect(rings.query("blog", { path: "/page/89999" }).total).toBe(0);
  });

  it("keeps each site's ring apart", () => {
    const rings = new AccessLogRings({ ringSize: 2 });
    rings.add([entry(1), entry(2, { siteId: "shop" }), entry(3), entry(4), entry(5, { siteId: "shop" })]);
    expect(paths(rings.query("blog").entries)).toEqual(["/page/4", "/page/3"]);
    expect(paths(rings.query("shop").entries)).toEqual(["/page/5", "/page/2"]);
    expect(rings.query("nobody")).toEqual({ entries: [], total: 0 });
    expect(rings.siteCount).toBe(2);
  });

  it("filters by exact status, status class, method, path substring and client IP, together", () => {
    const rings = new AccessLogRings({ ringSize: 100 });
    rings.add([
      entry(1, { status: 200, path: "/shop/cart" }),
      entry(2, { status: 404, path: "/missing" }),
      entry(3, { status: 410, method: "POST", path: "/shop/Gone" }),
      entry(4, { status: 500, clientIp: "2001:db8::1", path: "/shop/pay?x=1" }),
      entry(5, { status: 0, method: "POST", path: "/upload" }),
      entry(6, { status: 404, clientIp: "10.0.0.9", path: "/shop/missing" }),
    ]);
    expect(paths(rings.query("blog", { status: "404" }).entries)).toEqual(["/shop/missing", "/missing"]);
    expect(paths(rings.query("blog", { status: "4xx" }).entries)).toEqual(["/shop/missing", "/shop/Gone", "/missing"]);
    expect(paths(rings.query("blog", { status: "5xx" }).entries)).toEqual(["/shop/pay?x=1"]);
    expect(paths(rings.query("blog", { status: "0" }).entries)).toEqual(["/upload"]);
    expect(paths(rings.query("blog", { method: "POST" }).entries)).toEqual(["/upload", "/shop/Gone"]);
    expect(paths(rings.query("blog", { path: "/shop" }).entries)).toEqual(["/shop/missing", "/shop/pay?x=1", "/shop/Gone", "/shop/cart"]);
    // Case-sensitive, like paths.
    expect(paths(rings.query("blog", { path: "gone" }).entries)).toEqual([]);
    expect(paths(rings.query("blog", { path: "x=1" }).entries)).toEqual(["/shop/pay?x=1"]);
    expect(paths(rings.query("blog", { clientIp: "2001:db8::1" }).entries)).toEqual(["/shop/pay?x=1"]);
    expect(paths(rings.query("blog", { clientIp: "10.0.0" }).entries)).toEqual([]);
    expect(rings.query("blog", { status: "4xx", path: "/shop", method: "GET" })).toMatchObject({ total: 1, entries: [{ path: "/shop/missing" }] });
  });

  it("limits the page (default 100, at most 1000) but counts every match", () => {
    const rings = new AccessLogRings({ ringSize: 5_000 });
    rings.add(Array.from({ length: 3_000 }, (_, i) => entry(i, { status: i % 2 === 0 ? 200 : 404 })));
    expect(rings.query("blog")).toMatchObject({ total: 3_000 });
    expect(rings.query("blog").entries).toHaveLength(100);
    expect(rings.query("blog", { limit: 5 }).entries.map((e) => e.time - T0)).toEqual([2999, 2998, 2997, 2996, 2995]);
    expect(rings.query("blog", { limit: 5_000 }).entries).toHaveLength(1000);
    const notFound = rings.query("blog", { status: "404", limit: 3 });
    expect(notFound.total).toBe(1_500);
    expect(notFound.entries.map((e) => e.time - T0)).toEqual([2999, 2997, 2995]);
  });

  it("answers newest first by time even when workers hand over out of order", () => {
    const rings = new AccessLogRings({ ringSize: 100 });
    // Worker A's batch, then worker B's with requests that finished in between.
    rings.add([entry(10), entry(30), entry(50)]);
    rings.add([entry(20), entry(40)]);
    expect(rings.query("blog").entries.map((e) => e.time - T0)).toEqual([50, 40, 30, 20, 10]);
  });

  it("keeps blocked requests in their own ring when normal traffic overflows the main one", () => {
    const rings = new AccessLogRings({ ringSize: 100 });
    rings.add([
      entry(1, { status: 429, blockedBy: "rate-limit", path: "/flood" }),
      entry(2, { status: 403, blockedBy: "exploit:sqli-union-select", path: "/?id=1 union select" }),
      entry(3, { status: 403, blockedBy: "access-list", clientIp: "203.0.113.9", path: "/admin" }),
    ]);
    for (let start = 10; start < 1_010; start += 100) rings.add(Array.from({ length: 100 }, (_, i) => entry(start + i)));
    // Pushed out of the main ring by 1,000 ordinary requests...
    expect(rings.sizeOf("blog")).toBe(100);
    expect(rings.query("blog", { path: "/admin" }).total).toBe(0);
    // ...but still in the blocked one, with the filters applying there too.
    expect(rings.blockedSizeOf("blog")).toBe(3);
    const blocked = rings.query("blog", { blocked: true });
    expect(blocked.total).toBe(3);
    expect(blocked.entries.map((e) => e.blockedBy)).toEqual(["access-list", "exploit:sqli-union-select", "rate-limit"]);
    expect(paths(rings.query("blog", { blocked: true, status: "403", clientIp: "203.0.113.9" }).entries)).toEqual(["/admin"]);
    expect(rings.query("blog", { blocked: true, limit: 1 })).toMatchObject({ total: 3, entries: [{ path: "/admin" }] });
    // blocked: false is every request, as when unset.
    expect(rings.query("blog", { blocked: false }).total).toBe(100);
    // A site without a blocked request, or none at all.
    rings.add([entry(2_000, { siteId: "shop" })]);
    expect(rings.query("shop", { blocked: true })).toEqual({ entries: [], total: 0 });
    expect(rings.query("nobody", { blocked: true })).toEqual({ entries: [], total: 0 });
    expect(rings.blockedSizeOf("shop")).toBe(0);
  });

  it("bounds the blocked ring to 1,000 per site, or the main ring's size when smaller", () => {
    const rings = new AccessLogRings({ ringSize: 10_000 });
    rings.add(Array.from({ length: 2_500 }, (_, i) => entry(i, { status: 429, blockedBy: "rate-limit" })));
    expect(rings.blockedSizeOf("blog")).toBe(1_000);
    const page = rings.query("blog", { blocked: true, limit: 1000 });
    expect(page.total).toBe(1_000);
    expect(page.entries[0]!.path).toBe("/page/2499");
    expect(page.entries[999]!.path).toBe("/page/1500");
    // The main ring still has them all.
    expect(rings.query("blog").total).toBe(2_500);

    const small = new AccessLogRings({ ringSize: 5 });
    small.add(Array.from({ length: 20 }, (_, i) => entry(i, { blockedBy: `exploit:rule-${i}` })));
    expect(small.blockedSizeOf("blog")).toBe(5);
    expect(small.query("blog", { blocked: true }).entries.map((e) => e.blockedBy)).toEqual([
      "exploit:rule-19",
      "exploit:rule-18",
      "exploit:rule-17",
      "exploit:rule-16",
      "exploit:rule-15",
    ]);

    const custom = new AccessLogRings({ ringSize: 100, blockedRingSize: 2 });
    custom.add([entry(1, { blockedBy: "rate-limit" }), entry(2, { blockedBy: "rate-limit" }), entry(3, { blockedBy: "rate-limit" })]);
    expect(paths(custom.query("blog", { blocked: true }).entries)).toEqual(["/page/3", "/page/2"]);
  });

  it("forgets sites that had no traffic for the idle time, and keeps the busy ones", () => {
    let now = T0;
    const rings = new AccessLogRings({ ringSize: 10, idleMs: 10 * 60_000, clock: () => now });
    rings.add([entry(1), entry(2, { siteId: "shop" })]);
    now += 6 * 60_000;
    rings.add([entry(3)]);
    now += 6 * 60_000; // shop idle for 12 minutes, blog for 6
    rings.add([entry(4)]);
    expect(rings.siteCount).toBe(1);
    expect(rings.query("shop").total).toBe(0);
    expect(rings.query("blog").total).toBe(3);
  });

  it("forgets an idle site's blocked requests with the rest of its log", () => {
    let now = T0;
    const rings = new AccessLogRings({ ringSize: 10, idleMs: 10 * 60_000, clock: () => now });
    rings.add([entry(1, { siteId: "shop", blockedBy: "rate-limit" })]);
    now += 11 * 60_000;
    rings.add([entry(2)]);
    expect(rings.query("shop", { blocked: true })).toEqual({ entries: [], total: 0 });
    expect(rings.siteCount).toBe(1);
  });
});
