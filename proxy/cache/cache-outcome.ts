/**
 * What the cache did for one request. HIT: answered from the store, fresh. STALE: answered from
 * the store past its freshness (stale-while-revalidate, or stale-if-error when the upstream failed).
 * REVALIDATED: the upstream confirmed the stored answer with a 304. MISS: the upstream's answer was
 * fetched (and kept, if it may be). BYPASS: the request is not one a cache answers (not a GET or
 * HEAD, a byte range, no-store).
 */
export type CacheStatus = "HIT" | "STALE" | "REVALIDATED" | "MISS" | "BYPASS";

export interface CacheOutcome {
  status: CacheStatus;
  /** Body bytes answered from the store: what the upstream did not have to send. */
  bytesSaved: number;
}

/** The X-Cache value a client sees: a revalidated answer is a hit, a bypass a miss. */
export function cacheHeaderValue(status: CacheStatus): "HIT" | "MISS" | "STALE" {
  switch (status) {
    case "HIT":
    case "REVALIDATED":
      return "HIT";
    case "STALE":
      return "STALE";
    case "MISS":
    case "BYPASS":
      return "MISS";
  }
}

/** Whether the Traffic page counts it as a hit, a miss, or neither (a bypass). */
export const countsAsHit = (status: CacheStatus): boolean => status === "HIT" || status === "STALE" || status === "REVALIDATED";
export const countsAsMiss = (status: CacheStatus): boolean => status === "MISS";
