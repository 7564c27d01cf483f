import { describe, expect, it } from "vitest";
import { BUCKET_COUNT, LatencyHistogram, bucketOf, bucketUpperMs } from "./latency-histogram";

describe("LatencyHistogram", () => {
  it("reads percentiles within 5% of the true values", () => {
    const histogram = new LatencyHistogram();
    const samples = Array.from({ length: 10_000 }, (_, i) => 0.5 + (i % 1000) * 0.7); // 0.5 .. 699.8 ms
    samples.forEach((ms) => histogram.record(ms));
    const sorted = [...samples].sort((a, b) => a - b);
    for (const p of [0.5, 0.95, 0.99]) {
      const truth = sorted[Math.ceil(p * sorted.length) - 1]!;
      const read = histogram.percentile(p)!;
      expect(read).toBeGreaterThanOrEqual(truth);
      expect(read / truth).toBeLessThanOrEqual(1.05);
    }
  });

  it("merges exactly through its sparse form", () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    [1, 2, 3].forEach((ms) => a.record(ms));
    [200, 300].forEach((ms) => b.record(ms));
    const merged = LatencyHistogram.fromSparse(a.toSparse(), b.toSparse());
    expect(merged.count).toBe(5);
    expect(merged.percentile(1)).toBe(bucketUpperMs(bucketOf(300)));
    expect(Object.keys(a.toSparse())).toHaveLength(3);
  });

  it("stays fixed-size: tiny, huge and bogus latencies land in the end buckets", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(10 * 60_000)).toBe(BUCKET_COUNT - 1);
    expect(bucketUpperMs(BUCKET_COUNT - 1)).toBeGreaterThan(120_000);
    expect(new LatencyHistogram().percentile(0.5)).toBeNull();
  });
});
