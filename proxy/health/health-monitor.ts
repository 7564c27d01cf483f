import type { Logger } from "pino";
import type { ProxySnapshot } from "../../lib/schemas/snapshot";
import type { UpstreamState } from "../../lib/schemas/upstream-health";
import { ActiveChecker, type CheckReport } from "./active-checker";
import type { HealthRecorder } from "./health-recorder";
import { healthTargets, settingsKey, type HealthTarget } from "./health-targets";
import type { NotificationDebouncer } from "./notification-debouncer";

export type UpstreamHealthStates = Record<string, "up" | "down">;

export interface HealthMonitorOptions {
  /** Gets the whole map of verdicts whenever it changes (addresses without one are left out). */
  broadcast(states: UpstreamHealthStates): void;
  recorder: HealthRecorder;
  notifications: NotificationDebouncer;
  logger: Logger;
}

interface Running {
  checker: ActiveChecker;
  key: string;
  target: HealthTarget;
}

/**
 * The active health checks of the current config generation, one checker per upstream address.
 * On each applied snapshot it reconciles: a checker whose settings did not change keeps running
 * (its verdict and counters survive the reload), new addresses get one, and removed ones are
 * stopped. Verdicts go to the workers (whole map), the database and the webhook.
 */
export class HealthMonitor {
  private readonly running = new Map<string, Running>();
  private inUse = new Set<string>();
  /** Workers count an address without a verdict as up, so an empty map is nothing to send. */
  private lastBroadcast = "{}";
  private readonly persisted = new Map<string, "up" | "down">();
  /** Addresses whose last record is a worker's passive "down" while the active verdict is up. */
  private readonly passivelyDown = new Set<string>();
  private stopped = false;

  constructor(private readonly options: HealthMonitorOptions) {}

  /** Every upstream address of the last applied snapshot, checked or not. */
  get addressesInUse(): string[] {
    return [...this.inUse];
  }

  /**
   * The states the database held before this process started, for addresses with a verdict: a
   * restart then neither repeats old news nor misses a recovery, and a verdict left over from
   * checks that are now off is cleared. Call before the first apply().
   */
  remember(persisted: ReadonlyMap<string, "up" | "down">): void {
    for (const [address, state] of persisted) {
      this.persisted.set(address, state);
      this.options.notifications.remember(address, state);
    }
  }

  apply(snapshot: ProxySnapshot): void {
    if (this.stopped) return;
    const { checked, inUse } = healthTargets(snapshot);
    this.inUse = inUse;
    const carried = new Map<string, UpstreamState>();
    for (const [address, running] of this.running) {
      const target = checked.get(address);
      if (target && settingsKey(target.settings) === running.key) {
        running.target = target; // same check; the sites using it may have changed
        continue;
      }
      running.checker.stop();
      this.running.delete(address);
      if (target) carried.set(address, running.checker.state);
      else this.unchecked(address, running.checker.state);
    }
    for (const [address, persisted] of this.persisted) {
      if (inUse.has(address) && !checked.has(address)) this.unchecked(address, persisted);
    }
    this.persisted.clear();
    for (const [address, target] of checked) {
      if (this.running.has(address)) continue;
      // A checker replaced for new settings starts from the old verdict; its counters start over.
      const checker: ActiveChecker = new ActiveChecker(address, target.settings, {
        initialState: carried.get(address) ?? "unknown",
        onCheck: (report) => this.onCheck(checker, report),
      });
      this.running.set(address, { checker, key: settingsKey(target.settings), target });
      checker.start();
    }
    this.publish();
  }

  /**
   * A worker benched an address after repeated failures (passive check). Recorded as a "down"
   * observation so the timeline shows it, but only while the active verdict is up; the active
   * checker's own verdict is left alone, and its next passing check writes "up" again.
   */
  reportFailing(address: string, reason: string): void {
    const running = this.running.get(address);
    if (!running || running.checker.state !== "up" || this.options.recorder.lastWritten(address) === "down") return;
    this.passivelyDown.add(address);
    void this.options.recorder.observe(address, { state: "down", checkedAt: new Date(), latencyMs: null, message: reason });
  }

  /** The verdict of each checked address, "unknown" before the first check. */
  states(): Record<string, UpstreamState> {
    return Object.fromEntries([...this.running].map(([address, { checker }]) => [address, checker.state]));
  }

  stop(): void {
    this.stopped = true;
    for (const { checker } of this.running.values()) checker.stop();
    this.running.clear();
    this.options.notifications.stop();
  }

  private unchecked(address: string, state: UpstreamState): void {
    this.passivelyDown.delete(address);
    this.options.notifications.forget(address);
    if (this.inUse.has(address) && state !== "unknown") {
      // Still served, but nobody checks it now: say so rather than show a verdict that goes stale.
      void this.options.recorder.observe(address, {
        state: "unknown",
        checkedAt: new Date(),
        latencyMs: null,
        message: "Health checks are off for this upstream",
      });
    }
    this.options.recorder.forget(address);
  }

  private onCheck(checker: ActiveChecker, report: CheckReport): void {
    const running = this.running.get(report.address);
    if (running?.checker !== checker || checker.stopped) return;
    const { result, state } = report;
    // After a passive "down", a failed check that leaves the verdict up agrees something is
    // wrong: keep the "down" on record until a check passes or the verdict goes down too.
    const confirmsPassive = this.passivelyDown.has(report.address) && state === "up" && !result.ok;
    if (!confirmsPassive) this.passivelyDown.delete(report.address);
    if (state !== "unknown" && !confirmsPassive) {
      void this.options.recorder.observe(report.address, {
        state,
        checkedAt: report.checkedAt,
        latencyMs: result.latencyMs,
        message: result.message,
      }, state !== report.previous);
    }
    if (state === report.previous || state === "unknown") return;
    this.options.logger.info({ address: report.address, state, previous: report.previous, reason: result.message }, "upstream health changed");
    this.options.notifications.changed(report.address, state, {
      siteIds: running.target.siteIds,
      siteNames: running.target.siteNames,
      message: result.message ?? `Answered HTTP ${result.status} in ${result.latencyMs} ms`,
    });
    this.publish();
  }

  private publish(): void {
    const states: UpstreamHealthStates = {};
    for (const [address, { checker }] of [...this.running].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (checker.state !== "unknown") states[address] = checker.state;
    }
    const serialized = JSON.stringify(states);
    if (serialized === this.lastBroadcast) return;
    this.lastBroadcast = serialized;
    this.options.broadcast(states);
  }
}
