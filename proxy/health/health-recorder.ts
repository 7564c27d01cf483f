import type { Logger } from "pino";
import type { UpstreamState } from "../../lib/schemas/upstream-health";
import { recordHealth, type HealthObservation } from "../../lib/services/upstream-health";

/** Without a change of state, the current row of an address is rewritten at most this often. */
export const DEFAULT_WRITE_INTERVAL_MS = 30_000;

export interface HealthRecorderOptions {
  logger: Logger;
  writeIntervalMs?: number;
  /** Where observations go; the database by default. */
  write?: (address: string, observation: HealthObservation) => Promise<boolean>;
}

interface Written {
  state: UpstreamState;
  at: number;
  /** Writes of this address run one after another, in the order observed. */
  queue: Promise<void>;
}

/**
 * Keeps database writes cheap: a change of state is written at once (it also goes on the
 * timeline); an unchanged state refreshes the current row (latency, last check time) at most
 * every writeIntervalMs per address, however short the check interval.
 */
export class HealthRecorder {
  private readonly written = new Map<string, Written>();
  /** Every write not finished yet, including those of forgotten addresses. */
  private readonly pending = new Set<Promise<void>>();
  private readonly writeIntervalMs: number;
  private readonly write: (address: string, observation: HealthObservation) => Promise<boolean>;

  constructor(private readonly options: HealthRecorderOptions) {
    this.writeIntervalMs = options.writeIntervalMs ?? DEFAULT_WRITE_INTERVAL_MS;
    this.write = options.write ?? recordHealth;
  }

  /**
   * Resolves once written (or skipped); true when the database saw a change of state. Never
   * rejects. `force` writes even an unchanged state (a new verdict after a passive "down").
   */
  observe(address: string, observation: HealthObservation, force = false): Promise<boolean> {
    const now = Date.now();
    const last = this.written.get(address);
    if (!force && last && last.state === observation.state && now - last.at < this.writeIntervalMs) return Promise.resolve(false);
    const entry: Written = { state: observation.state, at: now, queue: last?.queue ?? Promise.resolve() };
    this.written.set(address, entry);
    let changed = false;
    entry.queue = entry.queue.then(async () => {
      try {
        changed = await this.write(address, observation);
      } catch (error) {
        // Try again with the next check rather than waiting out the interval.
        entry.at = 0;
        this.options.logger.warn({ err: error, address }, "could not record upstream health");
      }
    });
    const queued = entry.queue;
    this.pending.add(queued);
    void queued.then(() => this.pending.delete(queued));
    return queued.then(() => changed);
  }

  /** The state last written (or being written) for an address, if any. */
  lastWritten(address: string): UpstreamState | undefined {
    return this.written.get(address)?.state;
  }

  /** Forgets an address that is no longer checked, so that it is written afresh if it comes back. */
  forget(address: string): void {
    this.written.delete(address);
  }

  /** Resolves once every write queued so far has finished. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
