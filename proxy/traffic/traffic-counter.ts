import { LatencyHistogram } from "@/lib/traffic/latency-histogram";
import { addCounts, TopSketches, type TrafficDelta } from "@/lib/traffic/traffic-delta";
import { type CacheOutcome, countsAsHit, countsAsMiss } from "../cache/cache-outcome";
import type { RequestContext } from "../pipeline/request-context";

const MINUTE_MS = 60_000;
/**
 * Keys each top-N sketch of a (site, minute) holds in a worker: counts are exact up to this many
 * distinct paths (or addresses) a minute, and any key with more than 1/64 of the requests is
 * always found. Memory per site: at most 2 minutes x 3 sketches x 64 keys.
 */
export const WORKER_TOP_CAPACITY = 64;
/** Longer paths are cut: the key is for people to read, and its size bounds the sketch's memory. */
export const MAX_TOP_PATH_LENGTH = 200;

/**
 * The key a request is counted under in "Top paths": the path as sent, without the query string
 * (which would make every search its own key), at most 200 characters. An absolute-form target
 * ("http://host/path", as sent to a forward proxy) counts under its path. Hot path: no parsing.
 */
export function topPathOf(url: string | undefined): string {
  if (url === undefined || url === "") return "/";
  let end = url.indexOf("?");
  if (end === -1) end = url.length;
  let start = 0;
  if (url.charCodeAt(0) !== 47 /* "/" */) {
    const scheme = url.indexOf("://");
    if (scheme !== -1 && scheme < end) {
      const slash = url.indexOf("/", scheme + 3);
      if (slash === -1 || slash >= end) return "/";
      start = slash;
    }
  }
  if (end - start > MAX_TOP_PATH_LENGTH) end = start + MAX_TOP_PATH_LENGTH;
  return start === 0 && end === url.length ? url : url.slice(start, end);
}

/** Status keys for the top table, made once: no number-to-string conversion per request. */
const STATUS_KEYS = Array.from({ length: 1000 }, (_, status) => String(status));
const statusKey = (status: number): string => STATUS_KEYS[status] ?? String(status);

/** Epoch ms; injectable so that tests can cross a minute boundary on purpose. */
export type Clock = () => number;

/**
 * Told of every finished request after it is counted (the access log listens here). Called on the
 * hot path: it must be cheap and must not throw.
 */
export type FinishedRequestObserver = (
  siteId: string,
  request: CountedRequest,
  status: number,
  latencyMs: number,
  bytesIn: number,
  bytesOut: number,
) => void;

/** What the counter and its observers read of a finished request: a RequestContext has all of it. */
export type CountedRequest = Pick<RequestContext, "req" | "client" | "blockedBy" | "coded" | "cache">;

/** One site's counts for one minute. */
class MinuteCounts {
  requests = 0;
  status2xx = 0;
  status3xx = 0;
  status4xx = 0;
  status5xx = 0;
  bytesIn = 0;
  bytesOut = 0;
  bytesSavedCompression = 0;
  cacheHits = 0;
  cacheMisses = 0;
  bytesSavedCache = 0;
  connections = 0;
  connectionMs = 0;
  readonly latency = new LatencyHistogram();
  readonly top = new TopSketches(WORKER_TOP_CAPACITY);

  constructor(readonly minute: number) {}

  add(
    status: number,
    latencyMs: number,
    bytesIn: number,
    bytesOut: number,
    path: string | undefined,
    clientIp: string | undefined,
    bytesSavedCompression: number,
    cache: CacheOutcome | null,
  ): void {
    this.requests += 1;
    // 1xx (a websocket's 101) and "no answer at all" (0) count as a request only.
    if (status >= 500) this.status5xx += 1;
    else if (status >= 400) this.status4xx += 1;
    else if (status >= 300) this.status3xx += 1;
    else if (status >= 200) this.status2xx += 1;
    this.bytesIn += bytesIn;
    this.bytesOut += bytesOut;
    this.bytesSavedCompression += bytesSavedCompression;
    if (cache !== null) {
      if (countsAsHit(cache.status)) this.cacheHits += 1;
      else if (countsAsMiss(cache.status)) this.cacheMisses += 1;
      this.bytesSavedCache += Math.max(0, cache.bytesSaved);
    }
    if (latencyMs >= 0) this.latency.record(latencyMs);
    this.top.statuses.add(statusKey(status));
    if (path !== undefined) this.top.paths.add(path);
    if (clientIp) this.top.clientIps.add(clientIp);
  }

  addConnection(durationMs: number, bytesIn: number, bytesOut: number, clientIp: string | undefined): void {
    this.connections += 1;
    this.connectionMs += Math.max(0, durationMs);
    this.bytesIn += bytesIn;
    this.bytesOut += bytesOut;
    if (clientIp) this.top.clientIps.add(clientIp);
  }

  absorb(other: MinuteCounts): void {
    addCounts(this, other);
    this.latency.merge(other.latency.toSparse());
    this.top.merge(other.top);
  }

  toDelta(siteId: string): TrafficDelta {
    return {
      siteId,
      minute: this.minute,
      requests: this.requests,
      status2xx: this.status2xx,
      status3xx: this.status3xx,
      status4xx: this.status4xx,
      status5xx: this.status5xx,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      bytesSavedCompression: this.bytesSavedCompression,
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
      bytesSavedCache: this.bytesSavedCache,
      connections: this.connections,
      connectionMs: this.connectionMs,
      latency: this.latency.toSparse(),
      top: this.top.toCounts(),
    };
  }
}

/**
 * At most two minutes per site between drains (the worker drains every few seconds, so two is
 * the minute that just ended plus the current one). Should a third minute turn up anyway (no
 * drain for over a minute), the oldest is folded into the next one: counts shift by a minute
 * rather than memory growing or traffic going uncounted.
 */
class SiteSlots {
  older: MinuteCounts | null = null;
  newer: MinuteCounts;

  constructor(minute: number) {
    this.newer = new MinuteCounts(minute);
  }

  slotFor(minute: number): MinuteCounts {
    if (minute === this.newer.minute) return this.newer;
    if (this.older !== null && minute === this.older.minute) return this.older;
    if (minute < this.newer.minute) {
      // A late finisher for a minute already passed: the older slot (taken now if still free).
      this.older ??= new MinuteCounts(minute);
      return this.older;
    }
    // A new minute: the newer slot becomes the older one.
    if (this.older !== null) this.newer.absorb(this.older);
    this.older = this.newer;
    this.newer = new MinuteCounts(minute);
    return this.newer;
  }

  *all(): Iterable<MinuteCounts> {
    if (this.older !== null) yield this.older;
    yield this.newer;
  }
}

/**
 * Counts traffic per site and per minute in one worker's memory, for hand-over to the primary
 * with drain(). What is counted:
 *  - requests: every request routed to a site, whatever answered it (the upstream, an error page
 *    of the proxy, an HTTPS redirect); a websocket is one request;
 *  - status classes 2xx..5xx of the answer sent (1xx and "no answer" count as a request only);
 *  - bytesIn / bytesOut: HTTP/1.1 bytes read from / written to the client connection (request
 *    line, headers, body and chunked framing as on the wire, after TLS decryption), attributed
 *    on a keep-alive connection to the request whose response completed since the previous one;
 *    for a websocket, everything until the connection closes, frames included;
 *  - latency: from the request being routed to the response finishing (for a websocket, to the
 *    handshake's answer), into a fixed-size histogram;
 *  - top paths, client addresses and status codes, in bounded sketches (see TopSketch);
 *  - bytes compression kept off the wire, and the cache's hits, misses and bytes it answered from
 *    its store (HIT, STALE and REVALIDATED are hits, MISS a miss, BYPASS neither);
 *  - for pass-through sites and streams, whose requests are not seen: connections, their bytes
 *    and summed duration, and their client addresses.
 * The minute is the one in which the response finished.
 */
export class TrafficCounter {
  private sites = new Map<string, SiteSlots>();
  private readonly clock: Clock;
  private readonly onFinished: FinishedRequestObserver | undefined;

  constructor(options: { clock?: Clock; onFinished?: FinishedRequestObserver } = {}) {
    this.clock = options.clock ?? Date.now;
    this.onFinished = options.onFinished;
  }

  /**
   * Adds one finished request; exposed for tests and for callers that measure bytes themselves.
   * `path` (already a topPathOf() key) and `clientIp` feed the top tables when given.
   */
  count(
    siteId: string,
    status: number,
    latencyMs: number,
    bytesIn: number,
    bytesOut: number,
    path?: string,
    clientIp?: string,
    bytesSavedCompression = 0,
    cache: CacheOutcome | null = null,
  ): void {
    this.slotNow(siteId).add(status, latencyMs, bytesIn, bytesOut, path, clientIp, bytesSavedCompression, cache);
  }

  /**
   * One connection of a pass-through site or a stream (by its id) that ended: its bytes from and
   * to the client, how long it lasted, and the client in the top table. Its requests are not seen.
   */
  countConnection(id: string, durationMs: number, bytesIn: number, bytesOut: number, clientIp?: string): void {
    this.slotNow(id).addConnection(durationMs, bytesIn, bytesOut, clientIp);
  }

  private slotNow(siteId: string): MinuteCounts {
    const minute = Math.floor(this.clock() / MINUTE_MS) * MINUTE_MS;
    let slots = this.sites.get(siteId);
    if (slots === undefined) {
      slots = new SiteSlots(minute);
      this.sites.set(siteId, slots);
    }
    return slots.slotFor(minute);
  }

  /** One finished request, with what the caller measured of it; told to the observer too. */
  record(siteId: string, request: CountedRequest, status: number, latencyMs: number, bytesIn: number, bytesOut: number): void {
    const saved = request.coded === null ? 0 : Math.max(0, request.coded.in - request.coded.out);
    this.count(siteId, status, latencyMs, bytesIn, bytesOut, topPathOf(request.req.url), request.client.ip, saved, request.cache);
    this.onFinished?.(siteId, request, status, latencyMs, bytesIn, bytesOut);
  }

  /** Sites with counts since the last drain. */
  get siteCount(): number {
    return this.sites.size;
  }

  /** Entries (site x minute) held now: at most twice the number of sites with traffic. */
  get entryCount(): number {
    let entries = 0;
    for (const slots of this.sites.values()) entries += slots.older === null ? 1 : 2;
    return entries;
  }

  /** Everything counted since the last drain, as deltas; starts afresh. */
  drain(): TrafficDelta[] {
    if (this.sites.size === 0) return [];
    const sites = this.sites;
    this.sites = new Map();
    const deltas: TrafficDelta[] = [];
    for (const [siteId, slots] of sites) for (const counts of slots.all()) deltas.push(counts.toDelta(siteId));
    return deltas;
  }
}
