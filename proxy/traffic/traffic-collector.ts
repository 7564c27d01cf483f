import type { Logger } from "pino";
import { LatencyHistogram } from "@/lib/traffic/latency-histogram";
import { addCounts, TopSketches, type TrafficDelta } from "@/lib/traffic/traffic-delta";

const MINUTE_MS = 60_000;
/**
 * Keys per top-N sketch of a (site, minute) while deltas from every worker merge: twice a
 * worker's, so that two workers' full tables still merge exactly (the database keeps 20 a row).
 */
export const COLLECTOR_TOP_CAPACITY = 128;

export interface TrafficCollectorOptions {
  /** Adds deltas onto the per-site, per-minute rows in one batch (lib/services/traffic addTraffic). */
  write: (deltas: TrafficDelta[]) => Promise<void>;
  /** Minute rows -> hour rows, and retention (lib/services/traffic rollUpAndPrune). */
  rollUp: () => Promise<unknown>;
  logger: Logger;
  /** Default 10 s (TRAFFIC_WRITE_MS). */
  writeMs?: number;
  /** Default 10 minutes. */
  rollUpMs?: number;
  /** While writes fail, minutes older than this (counted back from now) are dropped. Default 60. */
  maxBacklogMinutes?: number;
  /** Epoch ms; for tests. */
  clock?: () => number;
}

/**
 * One (site, minute) being merged; the histogram is dense and the top tables are bounded sketches
 * while merging, both plain objects again on the way out.
 */
interface Pending {
  delta: Omit<TrafficDelta, "latency" | "top">;
  latency: LatencyHistogram;
  top: TopSketches;
}

function keyOf(siteId: string, minute: number): string {
  return `${siteId}\u0000${minute}`;
}

/**
 * The primary's side of traffic counting: merges the deltas every worker hands over into one per
 * (site, minute), writes them in one batch every few seconds, and runs the rollup. A failed write
 * keeps its deltas for the next attempt, with a bounded backlog, so that a busy or locked
 * database costs at most old minutes, never memory without end.
 */
export class TrafficCollector {
  private pending = new Map<string, Pending>();
  private writing: Promise<void> | null = null;
  private rollingUp: Promise<void> | null = null;
  private writeTimer: NodeJS.Timeout | undefined;
  private rollUpTimer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;
  private readonly maxBacklogMs: number;

  constructor(private readonly options: TrafficCollectorOptions) {
    this.clock = options.clock ?? Date.now;
    this.maxBacklogMs = (options.maxBacklogMinutes ?? 60) * MINUTE_MS;
  }

  /** (site, minute) pairs waiting to be written. */
  get pendingCount(): number {
    return this.pending.size;
  }

  add(deltas: readonly TrafficDelta[]): void {
    for (const delta of deltas) this.merge(delta);
  }

  private merge(delta: TrafficDelta): void {
    const key = keyOf(delta.siteId, delta.minute);
    const entry = this.pending.get(key);
    if (entry === undefined) {
      const { latency, top, ...counts } = delta;
      const sketches = new TopSketches(COLLECTOR_TOP_CAPACITY);
      sketches.addCounts(top);
      this.pending.set(key, { delta: { ...counts }, latency: LatencyHistogram.fromSparse(latency), top: sketches });
      return;
    }
    addCounts(entry.delta, delta);
    entry.latency.merge(delta.latency);
    entry.top.addCounts(delta.top);
  }

  start(): void {
    void this.rollUpNow();
    this.writeTimer = setInterval(() => void this.flush(), this.options.writeMs ?? 10_000);
    this.rollUpTimer = setInterval(() => void this.rollUpNow(), this.options.rollUpMs ?? 10 * MINUTE_MS);
    this.writeTimer.unref();
    this.rollUpTimer.unref();
  }

  /** Writes what is pending (one batch). Never rejects: a failure keeps the deltas for next time. */
  flush(): Promise<void> {
    if (this.writing !== null) return this.writing.then(() => this.flush());
    if (this.pending.size === 0) return Promise.resolve();
    const batch = this.pending;
    this.pending = new Map();
    const deltas = [...batch.values()].map(({ delta, latency, top }) => ({ ...delta, latency: latency.toSparse(), top: top.toCounts() }));
    this.writing = this.options
      .write(deltas)
      .then(
        () => undefined,
        (error: unknown) => {
          this.options.logger.warn({ err: error, pending: deltas.length }, "could not write traffic counts; retrying later");
          // What arrived meanwhile merges onto the batch kept for the retry.
          for (const entry of this.pending.values()) {
            const { delta } = entry;
            const kept = batch.get(keyOf(delta.siteId, delta.minute));
            if (kept === undefined) batch.set(keyOf(delta.siteId, delta.minute), entry);
            else this.mergeInto(kept, entry);
          }
          this.pending = batch;
          this.trimBacklog();
        },
      )
      .finally(() => {
        this.writing = null;
      });
    return this.writing;
  }

  private mergeInto(target: Pending, source: Pending): void {
    addCounts(target.delta, source.delta);
    target.latency.merge(source.latency.toSparse());
    target.top.merge(source.top);
  }

  private trimBacklog(): void {
    const oldestKept = Math.floor((this.clock() - this.maxBacklogMs) / MINUTE_MS) * MINUTE_MS;
    let dropped = 0;
    for (const [key, { delta }] of this.pending) {
      if (delta.minute < oldestKept) {
        this.pending.delete(key);
        dropped += 1;
      }
    }
    if (dropped > 0) {
      this.options.logger.warn(
        { dropped, oldestKept: new Date(oldestKept).toISOString() },
        "traffic counts older than the backlog limit were dropped because the database kept failing",
      );
    }
  }

  rollUpNow(): Promise<void> {
    this.rollingUp ??= this.options
      .rollUp()
      .then(
        () => undefined,
        (error: unknown) => this.options.logger.warn({ err: error }, "traffic rollup failed; retrying at the next run"),
      )
      .finally(() => {
        this.rollingUp = null;
      });
    return this.rollingUp;
  }

  /** Stops the timers and writes what is left (call before the database closes). */
  async stop(): Promise<void> {
    clearInterval(this.writeTimer);
    clearInterval(this.rollUpTimer);
    await this.rollingUp;
    await this.flush();
  }
}
