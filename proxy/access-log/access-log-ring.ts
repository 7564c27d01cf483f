import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import { ACCESS_LOG_DEFAULT_LIMIT, ACCESS_LOG_MAX_LIMIT, type AccessLogQuery } from "@/lib/schemas/access-log-query";
import { BoundedRing } from "./bounded-ring";
import { statusMatcher } from "./status-filter";

const MINUTE_MS = 60_000;

/** Blocked requests kept per site besides the main ring (fewer when the main ring is smaller). */
export const BLOCKED_RING_SIZE = 1_000;

/**
 * Filters as the ring applies them; `limit` defaults to 100 and is capped at 1000. `blocked`
 * answers from the site's blocked ring instead of the main one.
 */
export type AccessLogFilter = Partial<AccessLogQuery>;

export interface AccessLogPage {
  /** Newest first, at most `limit`. */
  entries: AccessLogEntry[];
  /** How many entries in the ring match the filters (entries holds the newest of them). */
  total: number;
}

/** Anything that answers access-log queries (the control server asks through this). */
export interface AccessLogSource {
  query(siteId: string, filter: AccessLogFilter): AccessLogPage;
}

export interface AccessLogRingsOptions {
  /** Entries kept per site (ACCESS_LOG_RING_SIZE). */
  ringSize: number;
  /** Blocked entries kept per site besides, in their own ring. Default min(ringSize, 1000). */
  blockedRingSize?: number;
  /** A site without a new entry for this long is forgotten. Default 24 h. */
  idleMs?: number;
  /** Epoch ms; for tests. */
  clock?: () => number;
}

interface SiteRing {
  entries: BoundedRing<AccessLogEntry>;
  /** Only the entries a protection refused; made on the site's first blocked request. */
  blocked: BoundedRing<AccessLogEntry> | null;
  lastAdded: number;
}

/**
 * The primary's memory of recent requests: per site, the newest `ringSize` entries from all
 * workers, and in a second, smaller ring the newest `blockedRingSize` of those a protection
 * refused (`blockedBy` set), so that an attack stays visible after normal traffic has pushed it
 * out of the main ring. Both rings hold the same entry objects, so a blocked entry costs one more
 * slot, not a copy.
 *
 * Memory is bounded by (ringSize + blockedRingSize) x the sites that had traffic within `idleMs`,
 * whatever the traffic: rings of sites that went quiet (deleted, disabled, or just idle) are
 * dropped. Idle time rather than the current config decides, so that disabling a site keeps its
 * recent log for a while.
 */
export class AccessLogRings implements AccessLogSource {
  private readonly rings = new Map<string, SiteRing>();
  private readonly idleMs: number;
  private readonly blockedRingSize: number;
  private readonly clock: () => number;
  private lastSweep: number;

  constructor(private readonly options: AccessLogRingsOptions) {
    this.idleMs = options.idleMs ?? 24 * 60 * MINUTE_MS;
    this.blockedRingSize = options.blockedRingSize ?? Math.min(options.ringSize, BLOCKED_RING_SIZE);
    this.clock = options.clock ?? Date.now;
    this.lastSweep = this.clock();
  }

  add(entries: readonly AccessLogEntry[]): void {
    const now = this.clock();
    for (const entry of entries) {
      let ring = this.rings.get(entry.siteId);
      if (ring === undefined) {
        ring = { entries: new BoundedRing(this.options.ringSize), blocked: null, lastAdded: now };
        this.rings.set(entry.siteId, ring);
      }
      ring.entries.push(entry);
      if (typeof entry.blockedBy === "string" && entry.blockedBy !== "") {
        ring.blocked ??= new BoundedRing(this.blockedRingSize);
        ring.blocked.push(entry);
      }
      ring.lastAdded = now;
    }
    // At most once a minute, so a hand-over costs O(entries), not O(sites).
    if (now - this.lastSweep >= MINUTE_MS) this.forgetIdle(now);
  }

  /** Sites with a ring now. */
  get siteCount(): number {
    return this.rings.size;
  }

  /** Entries held for one site (in the main ring). */
  sizeOf(siteId: string): number {
    return this.rings.get(siteId)?.entries.size ?? 0;
  }

  /** Entries held for one site in its blocked ring. */
  blockedSizeOf(siteId: string): number {
    return this.rings.get(siteId)?.blocked?.size ?? 0;
  }

  query(siteId: string, filter: AccessLogFilter = {}): AccessLogPage {
    const site = this.rings.get(siteId);
    const ring = filter.blocked === true ? site?.blocked : site?.entries;
    if (ring === undefined || ring === null) return { entries: [], total: 0 };
    const limit = Math.min(Math.max(1, filter.limit ?? ACCESS_LOG_DEFAULT_LIMIT), ACCESS_LOG_MAX_LIMIT);
    const statusMatches = statusMatcher(filter.status);
    const { method, path, clientIp } = filter;
    const matches: AccessLogEntry[] = [];
    for (const entry of ring.newestFirst()) {
      if (!statusMatches(entry.status)) continue;
      if (method !== undefined && entry.method !== method) continue;
      if (path !== undefined && !entry.path.includes(path)) continue;
      if (clientIp !== undefined && entry.clientIp !== clientIp) continue;
      matches.push(entry);
    }
    // Each worker hands over every few seconds, so arrival order is only roughly time order; the
    // stable sort keeps the later arrival first among equal times.
    matches.sort((a, b) => b.time - a.time);
    return { entries: matches.slice(0, limit), total: matches.length };
  }

  private forgetIdle(now: number): void {
    this.lastSweep = now;
    for (const [siteId, ring] of this.rings) if (now - ring.lastAdded > this.idleMs) this.rings.delete(siteId);
  }
}
