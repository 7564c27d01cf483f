import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import type { Clock, CountedRequest, FinishedRequestObserver } from "../traffic/traffic-counter";
import { BoundedRing } from "./bounded-ring";
import { truncate } from "./truncate";

/** Longest values kept: enough to recognise a request, small enough that 10,000 per site stay cheap. */
export const MAX_PATH_LENGTH = 500;
export const MAX_HOST_LENGTH = 255;
export const MAX_USER_AGENT_LENGTH = 200;
/** Node only parses known methods; the cap is for whatever a future parser lets through. */
const MAX_METHOD_LENGTH = 32;

export interface AccessLogBufferOptions {
  /** At most this many entries per site between drains (the primary's ring size): the oldest go first. */
  perSiteLimit: number;
  /** Epoch ms of a finished request; for tests. */
  clock?: Clock;
}

/** The access-log entry of one finished request, as the worker records it. */
export function accessLogEntry(
  siteId: string,
  { req, client, blockedBy }: CountedRequest,
  status: number,
  latencyMs: number,
  bytesIn: number,
  bytesOut: number,
  time: number,
): AccessLogEntry {
  const userAgent = req.headers["user-agent"];
  const entry: AccessLogEntry = {
    time,
    siteId,
    method: truncate((req.method ?? "").toUpperCase(), MAX_METHOD_LENGTH),
    host: truncate(req.headers.host ?? "", MAX_HOST_LENGTH),
    path: truncate(req.url ?? "", MAX_PATH_LENGTH),
    status,
    // A websocket that never got an answer has no latency (-1): shown as 0 rather than a negative.
    latencyMs: latencyMs > 0 ? Math.round(latencyMs * 100) / 100 : 0,
    bytesIn,
    bytesOut,
    clientIp: client.ip,
    userAgent: typeof userAgent === "string" ? truncate(userAgent, MAX_USER_AGENT_LENGTH) : "",
  };
  // Set only when there is one: most requests are let through, and their entries share one shape.
  if (blockedBy !== null) entry.blockedBy = blockedBy;
  return entry;
}

/**
 * A worker's access-log entries between two hand-overs to the primary. Per site it keeps only the
 * newest `perSiteLimit` (the primary's ring would drop the rest anyway), so a burst costs a fixed
 * amount of memory rather than one object per request until the next drain.
 */
export class AccessLogBuffer {
  private sites = new Map<string, BoundedRing<AccessLogEntry>>();
  private readonly clock: Clock;

  constructor(private readonly options: AccessLogBufferOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** The TrafficCounter's observer: on the hot path, so it must not throw. */
  readonly observe: FinishedRequestObserver = (siteId, request, status, latencyMs, bytesIn, bytesOut) => {
    try {
      this.add(accessLogEntry(siteId, request, status, latencyMs, bytesIn, bytesOut, this.clock()));
    } catch {
      // A request that cannot be described is left out of the log; serving it mattered more.
    }
  };

  add(entry: AccessLogEntry): void {
    let ring = this.sites.get(entry.siteId);
    if (ring === undefined) {
      ring = new BoundedRing(this.options.perSiteLimit);
      this.sites.set(entry.siteId, ring);
    }
    ring.push(entry);
  }

  /** Everything kept since the last drain, oldest first across all sites; starts afresh. */
  drain(): AccessLogEntry[] {
    if (this.sites.size === 0) return [];
    const sites = this.sites;
    this.sites = new Map();
    const entries: AccessLogEntry[] = [];
    for (const ring of sites.values()) for (const entry of ring.toArray()) entries.push(entry);
    // Per site the order is already right; a stable sort interleaves the sites by time.
    if (sites.size > 1) entries.sort((a, b) => a.time - b.time);
    return entries;
  }
}
