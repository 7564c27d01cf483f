import type { AccessLogEntry } from "../../lib/traffic/access-log-entry";
import { ACCESS_LOG_DEFAULT_LIMIT, ACCESS_LOG_MAX_LIMIT, type AccessLogQuery } from "../../lib/schemas/access-log-query";
import { BoundedRing } from "./bounded-ring";
import { statusMatcher } from "./status-filter";

const MINUTE_MS = 60_000;

/** Filters as the ring applies them; `limit` defaults to 100 and is capped at 1000. */
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
  /** A site without a new entry for this long is forgotten. Default 24 h. */
  idleMs?: number;
  /** Epoch ms; for tests. */
  clock?: () => number;
}

interface SiteRing {
  entries: BoundedRing<AccessLogEntry>;
  lastAdded: number;
}

/**
 * The primary's memory of recent requests: per site, the newest `ringSize` entries from all
 * workers. Memory is bounded by ringSize x the sites that had traffic within `idleMs`, whatever
 * the traffic: rings of sites that went quiet (deleted, disabled, or just idle) are dropped. Idle
 * time rather than the current config decides, so that disabling a site keeps its recent log
 * for a while.
 */
export class AccessLogRings implements AccessLogSource {
  private readonly rings = new Map<string, SiteRing>();
  private readonly idleMs: number;
  private readonly clock: () => number;
  private lastSweep: number;

  constructor(private readonly options: AccessLogRingsOptions) {
    this.idleMs = options.idleMs ?? 24 * 60 * MINUTE_MS;
    this.clock = options.clock ?? Date.now;
    this.lastSweep = this.clock();
  }

  add(entries: readonly AccessLogEntry[]): void {
    const now = this.clock();
    for (const entry of entries) {
      let ring = this.rings.get(entry.siteId);
      if (ring === undefined) {
        ring = { entries: new BoundedRing(this.options.ringSize), lastAdded: now };
        this.rings.set(entry.siteId, ring);
      }
      ring.entries.push(entry);
      ring.lastAdded = now;
    }
    // At most once a minute, so a hand-over costs O(entries), not O(sites).
    if (now - this.lastSweep >= MINUTE_MS) this.forgetIdle(now);
  }

  /** Sites with a ring now. */
  get siteCount(): number {
    return this.rings.size;
  }

  /** Entries held for one site. */
  sizeOf(siteId: string): number {
    return this.rings.get(siteId)?.entries.size ?? 0;
  }

  query(siteId: string, filter: AccessLogFilter = {}): AccessLogPage {
    const ring = this.rings.get(siteId);
    if (ring === undefined) return { entries: [], total: 0 };
    const limit = Math.min(Math.max(1, filter.limit ?? ACCESS_LOG_DEFAULT_LIMIT), ACCESS_LOG_MAX_LIMIT);
    const statusMatches = statusMatcher(filter.status);
    const { method, path, clientIp } = filter;
    const matches: AccessLogEntry[] = [];
    for (const entry of ring.entries.newestFirst()) {
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
