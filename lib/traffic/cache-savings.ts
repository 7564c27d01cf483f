import type { TrafficPoint } from "./traffic-delta";

/** What the cache and compression did over a range of traffic points (one site or all summed). */
export interface CacheSavings {
  hits: number;
  misses: number;
  /** hits / (hits + misses); null when no request was one the cache could answer. */
  hitRatio: number | null;
  bytesSavedCache: number;
  bytesSavedCompression: number;
}

/** The share of cacheable requests the cache answered; null when there were none (not 0: nothing failed). */
export function cacheHitRatio(hits: number, misses: number): number | null {
  const cacheable = hits + misses;
  return cacheable > 0 ? hits / cacheable : null;
}

export function cacheSavings(
  points: readonly Pick<TrafficPoint, "cacheHits" | "cacheMisses" | "bytesSavedCache" | "bytesSavedCompression">[],
): CacheSavings {
  let hits = 0;
  let misses = 0;
  let bytesSavedCache = 0;
  let bytesSavedCompression = 0;
  for (const point of points) {
    hits += point.cacheHits;
    misses += point.cacheMisses;
    bytesSavedCache += point.bytesSavedCache;
    bytesSavedCompression += point.bytesSavedCompression;
  }
  return { hits, misses, hitRatio: cacheHitRatio(hits, misses), bytesSavedCache, bytesSavedCompression };
}

/**
 * A hit ratio as people read it: "87.5%". Rounded down to a tenth, so that 100% means not a
 * single miss, and a ratio too small to show reads "under 0.1%" rather than a false 0%.
 */
export function formatHitRatio(ratio: number): string {
  const tenths = Math.floor(ratio * 1000 + 1e-9);
  if (tenths === 0 && ratio > 0) return "under 0.1%";
  return `${tenths / 10}%`;
}
