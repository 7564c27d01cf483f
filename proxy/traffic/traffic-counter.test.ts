import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../lib/traffic/latency-histogram";
import { TrafficCounter } from "./traffic-counter";

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
});
