import type { Logger } from "pino";
import type { UpstreamState } from "@/lib/schemas/upstream-health";
import { recordHealthBatch, type HealthObservation, type UpstreamObservation } from "@/lib/services/upstream-health";

/** Without a change of state, the current row of an address is rewritten at most this often. */
export const DEFAULT_WRITE_INTERVAL_MS = 30_000;
/**
 * Unchanged states wait this long for others to share their write: a thousand upstreams checked
 * over the write interval cost a few dozen transactions, not a thousand. A change of state is
 * written on the next turn of the event loop.
 */
export const REFRESH_BATCH_MS = 1_000;

export interface HealthRecorderOptions {
  logger: Logger;
  writeIntervalMs?: number;
  /** Where observations go, in order, in one write; the database by default. */
  write?: (batch: readonly UpstreamObservation[]) => Promise<boolean[]>;
}

interface Written {
  state: UpstreamState;
  at: number;
}

interface Queued extends UpstreamObservation {
  written: Written;
  settle(changed: boolean): void;
}

/**
 * Keeps database writes cheap: a change of state is written at once (it also goes on the
 * timeline); an unchanged state refreshes the current row (latency, last check time) at most
 * every writeIntervalMs per address, however short the check interval. Observations are written
 * in batches, one batch at a time, in the order observed.
 */
export class HealthRecorder {
  private readonly written = new Map<string, Written>();
  private queued: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  /** The batch being written, and every batch before it. */
  private writing: Promise<void> = Promise.resolve();
  private readonly writeIntervalMs: number;
  private readonly write: (batch: readonly UpstreamObservation[]) => Promise<boolean[]>;

  constructor(private readonly options: HealthRecorderOptions) {
    this.writeIntervalMs = options.writeIntervalMs ?? DEFAULT_WRITE_INTERVAL_MS;
    this.write = options.write ?? recordHealthBatch;
  }

  /**
   * Resolves once written (or skipped); true when the database saw a change of state. Never
   * rejects. `force` writes even an unchanged state (a new verdict after a passive "down").
   */
  observe(address: string, observation: HealthObservation, force = false): Promise<boolean> {
    const now = Date.now();
    const last = this.written.get(address);
    if (!force && last && last.state === observation.state && now - last.at < this.writeIntervalMs) return Promise.resolve(false);
    const written: Written = { state: observation.state, at: now };
    this.written.set(address, written);
    return new Promise((settle) => {
      this.queued.push({ upstreamId: address, observation, written, settle });
      if (force || last?.state !== observation.state) this.immediate ??= setImmediate(() => this.writeQueued());
      else this.timer ??= setTimeout(() => this.writeQueued(), REFRESH_BATCH_MS);
    });
  }

  /** The state last written (or being written) for an address, if any. */
  lastWritten(address: string): UpstreamState | undefined {
    return this.written.get(address)?.state;
  }

  /** Forgets an address that is no longer checked, so that it is written afresh if it comes back. */
  forget(address: string): void {
    this.written.delete(address);
  }

  /** Writes what is queued now, and resolves once every write so far has finished. */
  async flush(): Promise<void> {
    this.writeQueued();
    await this.writing;
  }

  private writeQueued(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    this.writing = this.writing.then(async () => {
      try {
        const changes = await this.write(batch);
        batch.forEach((each, index) => each.settle(changes[index] === true));
      } catch (error) {
        // Try again with the next checks rather than waiting out the interval.
        for (const each of batch) each.written.at = 0;
        this.options.logger.warn({ err: error, upstreams: batch.length }, "could not record upstream health");
        for (const each of batch) each.settle(false);
      }
    });
  }
}
