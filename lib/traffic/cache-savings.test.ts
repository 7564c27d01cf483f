import { describe, expect, it } from "vitest";
import { cacheHitRatio, cacheSavings, formatHitRatio } from "./cache-savings";

const point = (cacheHits: number, cacheMisses: number, bytesSavedCache = 0, bytesSavedCompression = 0) => ({
  cacheHits,
  cacheMisses,
  bytesSavedCache,
  bytesSavedCompression,
});

describe("cacheHitRatio", () => {
  it("is hits over hits and misses", () => {
    expect(cacheHitRatio(3, 1)).toBe(0.75);
    expect(cacheHitRatio(0, 5)).toBe(0);
    expect(cacheHitRatio(5, 0)).toBe(1);
    expect(cacheHitRatio(1, 2)).toBeCloseTo(1 / 3, 12);
  });

  it("is null, not 0, when no request was cacheable", () => {
    expect(cacheHitRatio(0, 0)).toBeNull();
  });
});

describe("cacheSavings", () => {
  it("sums the range's points before dividing (not an average of each point's ratio)", () => {
    // Per point: 100% and 10%; their mean would be 55%, the range's ratio is 11 / 20.
    const savings = cacheSavings([point(1, 0, 500, 30), point(0, 0), point(10, 9, 2000, 70)]);
    expect(savings).toEqual({ hits: 11, misses: 9, hitRatio: 0.55, bytesSavedCache: 2500, bytesSavedCompression: 100 });
  });

  it("has no ratio for a range without cacheable requests, and still counts compression", () => {
    expect(cacheSavings([point(0, 0, 0, 40), point(0, 0)])).toEqual({
      hits: 0,
      misses: 0,
      hitRatio: null,
      bytesSavedCache: 0,
      bytesSavedCompression: 40,
    });
    expect(cacheSavings([]).hitRatio).toBeNull();
  });
});

describe("formatHitRatio", () => {
  it("shows a percentage to a tenth, rounded down so that 100% means no miss at all", () => {
    expect(formatHitRatio(0.75)).toBe("75%");
    expect(formatHitRatio(0.875)).toBe("87.5%");
    expect(formatHitRatio(1 / 3)).toBe("33.3%");
    expect(formatHitRatio(2 / 3)).toBe("66.6%");
    expect(formatHitRatio(0.57)).toBe("57%");
    expect(formatHitRatio(9999 / 10000)).toBe("99.9%");
    expect(formatHitRatio(1)).toBe("100%");
    expect(formatHitRatio(0)).toBe("0%");
  });

  it("never shows 0% when something was a hit", () => {
    expect(formatHitRatio(1 / 10_000)).toBe("under 0.1%");
    expect(formatHitRatio(0.001)).toBe("0.1%");
  });
});
