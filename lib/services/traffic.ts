import { db } from "../db";
import { findInParts } from "../db-chunks";
import { AppError, notFound } from "../errors";
import { trafficRetention, type TrafficRetention } from "../env/traffic-retention";
import { LatencyHistogram, type SparseHistogram } from "../traffic/latency-histogram";
import { largest, type TopEntry } from "../traffic/top-sketch";
import {
  addTopCounts,
  emptyTopTotals,
  TOP_KINDS,
  trimTopTotals,
  type TopCounts,
  type TopTotals,
  type TrafficDelta,
  type TrafficPoint,
} from "../traffic/traffic-delta";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** The most points one series may have: beyond this, ask for a larger step. */
export const MAX_SERIES_POINTS = 2000;
/**
 * Hours that ended less than this long ago are always recomputed by the rollup, so a delta that
 * reaches the database a little after its hour ended is still counted in the hour row.
 */
const ROLLUP_SETTLE_MS = 2 * HOUR_MS;
/**
 * Keys kept per kind (paths, client IPs, statuses) in each minute and hour row, the largest
 * counts: storage grows with sites x time, never with how many distinct paths or clients there
 * are. A key cut from a row had at most the smallest count kept in it.
 */
export const TOP_PER_ROW = 20;
/** The most entries per kind trafficTop() returns: no more than a row keeps. */
export const MAX_TOP_LIMIT = TOP_PER_ROW;

/** The columns the series and the rollup add up; the top tables are read only where needed. */
const countColumns = {
  requests: true,
  status2xx: true,
  status3xx: true,
  status4xx: true,
  status5xx: true,
  bytesIn: true,
  bytesOut: true,
  bytesSavedCompression: true,
  cacheHits: true,
  cacheMisses: true,
  bytesSavedCache: true,
  connections: true,
  connectionMs: true,
  latency: true,
} as const;

interface Counts {
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  bytesIn: bigint;
  bytesOut: bigint;
  bytesSavedCompression: bigint;
  cacheHits: number;
  cacheMisses: number;
  bytesSavedCache: bigint;
  connections: number;
  connectionMs: bigint;
  latency: SparseHistogram;
}

interface CountRow {
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  bytesIn: bigint;
  bytesOut: bigint;
  bytesSavedCompression: bigint;
  cacheHits: number;
  cacheMisses: number;
  bytesSavedCache: bigint;
  connections: number;
  connectionMs: bigint;
  latency: string;
}

const emptyCounts = (): Counts => ({
  requests: 0,
  status2xx: 0,
  status3xx: 0,
  status4xx: 0,
  status5xx: 0,
  bytesIn: 0n,
  bytesOut: 0n,
  bytesSavedCompression: 0n,
  cacheHits: 0,
  cacheMisses: 0,
  bytesSavedCache: 0n,
  connections: 0,
  connectionMs: 0n,
  latency: {},
});

const toBigInt = (value: number): bigint => BigInt(Math.max(0, Math.round(value)));
const toCount = (value: number): number => Math.max(0, Math.round(value));

function parseLatency(text: string): SparseHistogram {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === "object" ? (parsed as SparseHistogram) : {};
  } catch {
    return {};
  }
}

/** A stored top column; anything unreadable counts as empty (the column defaults to '{}'). */
export function parseTop(text: string): TopCounts {
  const top: TopCounts = { paths: {}, clientIps: {}, statuses: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return top;
  }
  if (parsed === null || typeof parsed !== "object") return top;
  for (const kind of TOP_KINDS) {
    const table: unknown = (parsed as Record<string, unknown>)[kind];
    if (table !== null && typeof table === "object" && !Array.isArray(table)) top[kind] = table as Record<string, number>;
  }
  return top;
}

function mergeSparse(into: SparseHistogram, other: SparseHistogram): void {
  for (const [index, count] of Object.entries(other)) {
    const key = Number(index);
    if (Number.isInteger(key) && key >= 0 && typeof count === "number" && count > 0) {
      into[key] = (into[key] ?? 0) + Math.round(count);
    }
  }
}

function addInto(into: Counts, other: Counts): void {
  into.requests += other.requests;
  into.status2xx += other.status2xx;
  into.status3xx += other.status3xx;
  into.status4xx += other.status4xx;
  into.status5xx += other.status5xx;
  into.bytesIn += other.bytesIn;
  into.bytesOut += other.bytesOut;
  into.bytesSavedCompression += other.bytesSavedCompression;
  into.cacheHits += other.cacheHits;
  into.cacheMisses += other.cacheMisses;
  into.bytesSavedCache += other.bytesSavedCache;
  into.connections += other.connections;
  into.connectionMs += other.connectionMs;
  mergeSparse(into.latency, other.latency);
}

function fromRow(row: CountRow): Counts {
  return {
    requests: row.requests,
    status2xx: row.status2xx,
    status3xx: row.status3xx,
    status4xx: row.status4xx,
    status5xx: row.status5xx,
    bytesIn: row.bytesIn,
    bytesOut: row.bytesOut,
    bytesSavedCompression: row.bytesSavedCompression,
    cacheHits: row.cacheHits,
    cacheMisses: row.cacheMisses,
    bytesSavedCache: row.bytesSavedCache,
    connections: row.connections,
    connectionMs: row.connectionMs,
    latency: parseLatency(row.latency),
  };
}

function fromDelta(delta: TrafficDelta): Counts {
  const latency: SparseHistogram = {};
  mergeSparse(latency, delta.latency ?? {});
  return {
    requests: toCount(delta.requests),
    status2xx: toCount(delta.status2xx),
    status3xx: toCount(delta.status3xx),
    status4xx: toCount(delta.status4xx),
    status5xx: toCount(delta.status5xx),
    bytesIn: toBigInt(delta.bytesIn),
    bytesOut: toBigInt(delta.bytesOut),
    // A worker of an older build sends none of these.
    bytesSavedCompression: toBigInt(delta.bytesSavedCompression ?? 0),
    cacheHits: toCount(delta.cacheHits ?? 0),
    cacheMisses: toCount(delta.cacheMisses ?? 0),
    bytesSavedCache: toBigInt(delta.bytesSavedCache ?? 0),
    connections: toCount(delta.connections ?? 0),
    connectionMs: toBigInt(delta.connectionMs ?? 0),
    latency,
  };
}

function toColumns(counts: Counts) {
  return { ...counts, latency: JSON.stringify(counts.latency) };
}

/** The top column of a row: the TOP_PER_ROW largest of each kind. */
function topColumn(totals: TopTotals): string {
  return JSON.stringify(trimTopTotals(totals, TOP_PER_ROW));
}

/**
 * Adds the deltas onto their (site, minute) rows in one transaction: rows are created or their
 * counts and latency histograms added to (histogram merging is exact), and their top tables
 * summed and cut to the TOP_PER_ROW largest per kind. Deltas of sites that no longer exist are
 * dropped. Called by the proxy primary every few seconds with a batch, never per request.
 */
export async function addTraffic(deltas: TrafficDelta[]): Promise<void> {
  // Merge deltas for the same (site, minute) first: one read and one write per row.
  const merged = new Map<string, { siteId: string; minute: number; counts: Counts; top: TopTotals }>();
  for (const delta of deltas) {
    if (!Number.isFinite(delta.minute)) continue;
    const minute = Math.floor(delta.minute / MINUTE_MS) * MINUTE_MS;
    const key = `${delta.siteId}\u0000${minute}`;
    let entry = merged.get(key);
    if (entry) addInto(entry.counts, fromDelta(delta));
    else merged.set(key, (entry = { siteId: delta.siteId, minute, counts: fromDelta(delta), top: emptyTopTotals() }));
    // A delta comes over IPC unchecked: one from a worker of an older build has no top tables.
    if (delta.top) addTopCounts(entry.top, delta.top);
  }
  if (merged.size === 0) return;

  const siteIds = [...new Set([...merged.values()].map((entry) => entry.siteId))];
  await db().$transaction(async (tx) => {
    // Streams count under their own ids, beside the sites'.
    const [sites, streams] = await Promise.all([
      findInParts(siteIds, (part) => tx.site.findMany({ where: { id: { in: part } }, select: { id: true } })),
      findInParts(siteIds, (part) => tx.stream.findMany({ where: { id: { in: part } }, select: { id: true } })),
    ]);
    const live = new Set([...sites, ...streams].map((row) => row.id));
    for (const { siteId, minute, counts, top } of merged.values()) {
      if (!live.has(siteId)) continue;
      const where = { siteId_minute: { siteId, minute: new Date(minute) } };
      const row = await tx.trafficMinute.findUnique({ where });
      if (row) {
        const total = fromRow(row);
        addInto(total, counts);
        addTopCounts(top, parseTop(row.top));
        await tx.trafficMinute.update({ where, data: { ...toColumns(total), top: topColumn(top) } });
      } else {
        await tx.trafficMinute.create({ data: { siteId, minute: new Date(minute), ...toColumns(counts), top: topColumn(top) } });
      }
    }
  });
}

export interface RollupResult {
  /** Hour rows written (created or recomputed). */
  hoursWritten: number;
  minuteRowsDeleted: number;
  hourRowsDeleted: number;
}

/**
 * Rolls every complete hour of minute rows into hour rows, then deletes minute rows older than
 * `retention.minuteHours` and hour rows older than `retention.hourDays`. Idempotent: an hour row
 * is recomputed from its minute rows (never added to), and only while those minute rows exist.
 * Hours that ended long ago and already have hour rows are left alone, so a run only reads the
 * recent minute rows.
 */
export async function rollUpAndPrune(now: Date = new Date(), retention: TrafficRetention = trafficRetention()): Promise<RollupResult> {
  const nowMs = now.getTime();
  const lastCompleteHourEnd = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const client = db();
  let hoursWritten = 0;

  // The complete hours that still have minute rows (at most one per minute of retention).
  const minuteTimes = await client.trafficMinute.findMany({
    where: { minute: { lt: new Date(lastCompleteHourEnd) } },
    select: { minute: true },
    distinct: ["minute"],
  });
  const withMinutes = [...new Set(minuteTimes.map((row) => Math.floor(row.minute.getTime() / HOUR_MS) * HOUR_MS))].sort((a, b) => a - b);
  if (withMinutes.length > 0) {
    const rolledUp = await client.trafficHour.findMany({
      where: { hour: { gte: new Date(withMinutes[0]!), lt: new Date(lastCompleteHourEnd) } },
      select: { hour: true },
      distinct: ["hour"],
    });
    const done = new Set(rolledUp.map((row) => row.hour.getTime()));
    for (const hour of withMinutes) {
      const settled = hour + HOUR_MS <= nowMs - ROLLUP_SETTLE_MS;
      if (settled && done.has(hour)) continue;
      hoursWritten += await rollUpHour(hour);
    }
  }

  const minuteCutoff = new Date(nowMs - retention.minuteHours * HOUR_MS);
  const hourCutoff = new Date(nowMs - retention.hourDays * 24 * HOUR_MS);
  const [minutes, hours] = await client.$transaction([
    client.trafficMinute.deleteMany({ where: { minute: { lt: minuteCutoff } } }),
    client.trafficHour.deleteMany({ where: { hour: { lt: hourCutoff } } }),
  ]);
  return { hoursWritten, minuteRowsDeleted: minutes.count, hourRowsDeleted: hours.count };
}

/**
 * Recomputes the hour rows of one hour from its minute rows; returns how many were written. The
 * top tables are the sums of the minute rows' tables, cut to TOP_PER_ROW.
 */
async function rollUpHour(hour: number): Promise<number> {
  const client = db();
  const rows = await client.trafficMinute.findMany({
    where: { minute: { gte: new Date(hour), lt: new Date(hour + HOUR_MS) } },
  });
  if (rows.length === 0) return 0; // nothing to recompute from: keep whatever hour rows exist
  const bySite = new Map<string, { counts: Counts; top: TopTotals }>();
  for (const row of rows) {
    let site = bySite.get(row.siteId);
    if (!site) bySite.set(row.siteId, (site = { counts: emptyCounts(), top: emptyTopTotals() }));
    addInto(site.counts, fromRow(row));
    addTopCounts(site.top, parseTop(row.top));
  }
  await client.$transaction(
    [...bySite].map(([siteId, { counts, top }]) => {
      const columns = { ...toColumns(counts), top: topColumn(top) };
      return client.trafficHour.upsert({
        where: { siteId_hour: { siteId, hour: new Date(hour) } },
        create: { siteId, hour: new Date(hour), ...columns },
        update: columns,
      });
    }),
  );
  return bySite.size;
}

export interface TrafficSeriesQuery {
  /** One site, or every site summed when absent. */
  siteId?: string;
  from: Date;
  to: Date;
  /** Seconds between points: a multiple of 60. */
  stepSeconds: number;
}

/**
 * One point per step covering [from, to) (from rounded down to a multiple of the step), zero
 * where there was no traffic. Step 60 and other non-hour steps read minute rows; steps that are
 * multiples of an hour read minute rows where they still exist and hour rows before that.
 */
export async function trafficSeries(query: TrafficSeriesQuery): Promise<TrafficPoint[]> {
  const { siteId, from, to, stepSeconds } = query;
  if (!Number.isInteger(stepSeconds) || stepSeconds < 60 || stepSeconds % 60 !== 0) {
    throw new AppError("validation_failed", "The step must be a whole number of minutes", {
      step: "Must be a positive multiple of 60 seconds",
    });
  }
  const stepMs = stepSeconds * 1000;
  const start = Math.floor(from.getTime() / stepMs) * stepMs;
  const toMs = to.getTime();
  if (!(toMs > from.getTime())) {
    throw new AppError("validation_failed", "The range is empty", { from: "Must be before 'to'" });
  }
  const count = Math.ceil((toMs - start) / stepMs);
  if (count > MAX_SERIES_POINTS) {
    throw new AppError("validation_failed", `The range and step give ${count} points; at most ${MAX_SERIES_POINTS} are allowed`, {
      step: `Use a step of at least ${Math.ceil((toMs - start) / MAX_SERIES_POINTS / 60_000) * 60} seconds for this range`,
    });
  }
  const client = db();
  if (siteId !== undefined) await assertCounted(siteId);
  const end = start + count * stepMs;
  const buckets: (Counts | undefined)[] = new Array<Counts | undefined>(count);
  const add = (time: number, row: CountRow) => {
    const index = Math.floor((time - start) / stepMs);
    if (index < 0 || index >= count) return;
    const bucket = (buckets[index] ??= emptyCounts());
    addInto(bucket, fromRow(row));
  };

  // Where minute rows begin: before that, only hour rows remain (used for hour-multiple steps).
  let minuteStart = start;
  if (stepMs % HOUR_MS === 0) {
    const earliest = await client.trafficMinute.findFirst({ orderBy: { minute: "asc" }, select: { minute: true } });
    if (earliest) {
      // The hour holding the earliest minute row may have lost its first minutes to pruning: use
      // its hour row when the rollup wrote one, its minute rows otherwise.
      const boundary = Math.floor(earliest.minute.getTime() / HOUR_MS) * HOUR_MS;
      const rolledUp = await client.trafficHour.findFirst({ where: { hour: new Date(boundary) }, select: { hour: true } });
      minuteStart = rolledUp ? boundary + HOUR_MS : boundary;
    } else {
      minuteStart = end;
    }
    minuteStart = Math.min(Math.max(minuteStart, start), end);
    if (minuteStart > start) {
      const hours = await client.trafficHour.findMany({
        where: { siteId, hour: { gte: new Date(start), lt: new Date(minuteStart) } },
        select: { hour: true, ...countColumns },
      });
      for (const row of hours) add(row.hour.getTime(), row);
    }
  }
  if (minuteStart < end) {
    const minutes = await client.trafficMinute.findMany({
      where: { siteId, minute: { gte: new Date(minuteStart), lt: new Date(end) } },
      select: { minute: true, ...countColumns },
    });
    for (const row of minutes) add(row.minute.getTime(), row);
  }

  const points: TrafficPoint[] = [];
  for (let index = 0; index < count; index++) {
    const t = new Date(start + index * stepMs).toISOString();
    const bucket = buckets[index];
    if (!bucket || bucket.requests === 0) {
      points.push({ ...pointCounts(t, bucket ?? emptyCounts()), p50Ms: null, p95Ms: null, p99Ms: null });
      continue;
    }
    const histogram = LatencyHistogram.fromSparse(bucket.latency);
    points.push({
      ...pointCounts(t, bucket),
      p50Ms: roundMs(histogram.percentile(0.5)),
      p95Ms: roundMs(histogram.percentile(0.95)),
      p99Ms: roundMs(histogram.percentile(0.99)),
    });
  }
  return points;
}

function pointCounts(t: string, counts: Counts) {
  return {
    t,
    requests: counts.requests,
    status2xx: counts.status2xx,
    status3xx: counts.status3xx,
    status4xx: counts.status4xx,
    status5xx: counts.status5xx,
    bytesIn: Number(counts.bytesIn),
    bytesOut: Number(counts.bytesOut),
    bytesSavedCompression: Number(counts.bytesSavedCompression),
    cacheHits: counts.cacheHits,
    cacheMisses: counts.cacheMisses,
    bytesSavedCache: Number(counts.bytesSavedCache),
    connections: counts.connections,
    connectionMs: Number(counts.connectionMs),
  };
}

const roundMs = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 1000) / 1000);

export interface TrafficTopQuery {
  /** One site, or every site summed when absent. */
  siteId?: string;
  from: Date;
  to: Date;
  /** Entries per list, 1..MAX_TOP_LIMIT; default 10. */
  limit?: number;
}

export interface TrafficTop {
  /** Requests in the rows read: what the shares of the lists are shares of. */
  requests: number;
  paths: TopEntry[];
  clientIps: TopEntry[];
  statuses: TopEntry[];
}

/**
 * The top paths, client IPs and status codes of [from, to), largest first. Whole hours that the
 * rollup has written are read from hour rows (one row per site and hour instead of sixty, which
 * matters for a 24 h page that refreshes every few seconds; an hour row's table is the sum of its
 * minute rows' tables); the rest of the range from minute rows while they are kept. A partial hour
 * at the start of the range whose minute rows are already pruned is left out rather than counted
 * whole. Counts are lower bounds: each row keeps its TOP_PER_ROW largest per kind.
 */
export async function trafficTop(query: TrafficTopQuery): Promise<TrafficTop> {
  const { siteId, from, to } = query;
  const limit = query.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOP_LIMIT) {
    throw new AppError("validation_failed", `The limit must be a whole number from 1 to ${MAX_TOP_LIMIT}`, {
      limit: `Must be between 1 and ${MAX_TOP_LIMIT}`,
    });
  }
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!(toMs > fromMs)) {
    throw new AppError("validation_failed", "The range is empty", { from: "Must be before 'to'" });
  }
  const client = db();
  if (siteId !== undefined) await assertCounted(siteId);

  const totals = emptyTopTotals();
  let requests = 0;
  const addRow = (row: { requests: number; top: string }) => {
    requests += row.requests;
    addTopCounts(totals, parseTop(row.top));
  };

  // Hours wholly inside the range that have hour rows (of any site: the rollup writes an hour for
  // every site at once, so a site without a row in a rolled-up hour had no traffic in it).
  const firstHour = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const lastHourEnd = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  let rolledUp: number[] = [];
  if (firstHour < lastHourEnd) {
    const hours = await client.trafficHour.findMany({
      where: { hour: { gte: new Date(firstHour), lt: new Date(lastHourEnd) } },
      select: { hour: true },
      distinct: ["hour"],
    });
    rolledUp = hours.map((row) => row.hour.getTime()).sort((a, b) => a - b);
  }
  if (rolledUp.length > 0) {
    const rows = await client.trafficHour.findMany({
      where: { siteId, hour: { gte: new Date(rolledUp[0]!), lt: new Date(rolledUp.at(-1)! + HOUR_MS) } },
      select: { requests: true, top: true },
    });
    for (const row of rows) addRow(row);
  }

  // Everything else, from minute rows: only where they are still kept, so that the gaps between
  // rolled-up hours stay few (at most one per hour of minute retention).
  const earliest = await client.trafficMinute.findFirst({ orderBy: { minute: "asc" }, select: { minute: true } });
  const gaps = uncovered(Math.max(fromMs, earliest?.minute.getTime() ?? toMs), toMs, rolledUp);
  if (gaps.length > 0) {
    const rows = await client.trafficMinute.findMany({
      where: { siteId, OR: gaps.map(([start, end]) => ({ minute: { gte: new Date(start), lt: new Date(end) } })) },
      select: { requests: true, top: true },
    });
    for (const row of rows) addRow(row);
  }

  const entries = (sums: Map<string, number>): TopEntry[] => largest(sums, limit).map(([key, count]) => ({ key, count }));
  return { requests, paths: entries(totals.paths), clientIps: entries(totals.clientIps), statuses: entries(totals.statuses) };
}

/** The parts of [start, end) outside the given hours (sorted), as [start, end) intervals. */
function uncovered(start: number, end: number, hours: readonly number[]): [number, number][] {
  const gaps: [number, number][] = [];
  let cursor = start;
  for (const hour of hours) {
    if (hour + HOUR_MS <= cursor) continue;
    if (hour >= end) break;
    if (hour > cursor) gaps.push([cursor, hour]);
    cursor = hour + HOUR_MS;
  }
  if (cursor < end) gaps.push([cursor, end]);
  return gaps;
}

/** Traffic is kept under a site's id, or a stream's. */
async function assertCounted(id: string): Promise<void> {
  const [site, stream] = await Promise.all([
    db().site.findUnique({ where: { id }, select: { id: true } }),
    db().stream.findUnique({ where: { id }, select: { id: true } }),
  ]);
  if (site === null && stream === null) throw notFound("Site or stream");
}
