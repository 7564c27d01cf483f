import type { Logger } from "pino";
import type { ProxySnapshot } from "@/lib/schemas/snapshot";
import type { UpstreamState } from "@/lib/schemas/upstream-health";
import { ActiveChecker, type CheckReport } from "./active-checker";
import type { HealthRecorder } from "./health-recorder";
import { healthTargets, type HealthTarget } from "./health-targets";
import type { NotificationDebouncer } from "./notification-debouncer";

/** Verdicts by upstream id: each site's upstream judged by that site's own check. */
export type UpstreamHealthStates = Record<string, "up" | "down">;

export interface HealthMonitorOptions {
  /** Gets the whole map of verdicts whenever it changes (upstreams without one are left out). */
  broadcast(states: UpstreamHealthStates): void;
  recorder: HealthRecorder;
  notifications: NotificationDebouncer;
  logger: Logger;
}

interface Running {
  checker: ActiveChecker;
  target: HealthTarget;
}

/**
 * The active health checks of the current config generation, one checker per check (an address
 * and its settings: sites checking an address the same way share one probe). Each site's
 * upstream takes the verdict of its own site's check. On each applied snapshot it reconciles: a
 * check whose key did not change keeps running (its verdict and counters survive the reload),
 * new checks start, and removed ones stop. Verdicts go to the workers and the database per
 * upstream id, and to the webhook per check.
 */
export class HealthMonitor {
  /** By check key. */
  private readonly running = new Map<string, Running>();
  /** The check key of each checked upstream id. */
  private checkOf = new Map<string, string>();
  private inUse = new Set<string>();
  /** Workers count an upstream without a verdict as up, so an empty map is nothing to send. */
  private lastBroadcast = "{}";
  /** By upstream id. */
  private readonly persisted = new Map<string, "up" | "down">();
  /** Upstreams whose last record is a worker's passive "down" while the active verdict is up. */
  private readonly passivelyDown = new Set<string>();
  private stopped = false;

  constructor(private readonly options: HealthMonitorOptions) {}

  /** Every upstream id of the last applied snapshot, checked or not. */
  get upstreamsInUse(): string[] {
    return [...this.inUse];
  }

  /**
   * The states the database held before this process started, by upstream id: a restart then
   * neither repeats old news nor misses a recovery, and a verdict left over from checks that are
   * now off is cleared. Call before the first apply().
   */
  remember(persisted: ReadonlyMap<string, "up" | "down">): void {
    for (const [upstreamId, state] of persisted) this.persisted.set(upstreamId, state);
  }

  apply(snapshot: ProxySnapshot): void {
    if (this.stopped) return;
    const { checks, checkOf, inUse } = healthTargets(snapshot);
    /** The verdicts of checks that stop now, by upstream id: a replacing check starts from them. */
    const carried = new Map<string, UpstreamState>();
    for (const [key, running] of this.running) {
      const target = checks.get(key);
      if (target) {
        running.target = target; // same check; the upstreams and sites using it may have changed
        continue;
      }
      running.checker.stop();
      this.running.delete(key);
      this.options.notifications.forget(key);
      for (const upstreamId of running.target.upstreamIds) carried.set(upstreamId, running.checker.state);
    }
    this.checkOf = checkOf;
    this.inUse = inUse;
    for (const [upstreamId, state] of [...carried, ...this.persisted]) {
      if (!checkOf.has(upstreamId)) this.unchecked(upstreamId, state);
    }
    for (const [key, target] of checks) {
      if (this.running.has(key)) continue;
      const remembered = target.upstreamIds.map((id) => this.persisted.get(id)).find((state) => state !== undefined);
      if (remembered !== undefined) this.options.notifications.remember(key, remembered);
      // A check replaced for new settings starts from the old verdict; its counters start over.
      const initialState = target.upstreamIds.map((id) => carried.get(id)).find((state) => state !== undefined) ?? "unknown";
      const checker: ActiveChecker = new ActiveChecker(target.address, target.settings, {
        initialState,
        onCheck: (report) => this.onCheck(key, checker, report),
      });
      this.running.set(key, { checker, target });
      checker.start();
    }
    this.persisted.clear();
    this.publish();
  }

  /**
   * A worker benched an upstream after repeated failures (passive check). Recorded as a "down"
   * observation so the timeline shows it, but only while the active verdict is up; the active
   * checker's own verdict is left alone, and its next passing check writes "up" again.
   */
  reportFailing(upstreamId: string, reason: string): void {
    const running = this.running.get(this.checkOf.get(upstreamId) ?? "");
    if (running?.checker.state !== "up" || this.options.recorder.lastWritten(upstreamId) === "down") return;
    this.passivelyDown.add(upstreamId);
    void this.options.recorder.observe(upstreamId, { state: "down", checkedAt: new Date(), latencyMs: null, message: reason });
  }

  /** The verdict of each checked upstream (by id), "unknown" before its check's first result. */
  states(): Record<string, UpstreamState> {
    const states: Record<string, UpstreamState> = {};
    for (const [upstreamId, key] of this.checkOf) states[upstreamId] = this.running.get(key)?.checker.state ?? "unknown";
    return states;
  }

  stop(): void {
    this.stopped = true;
    for (const { checker } of this.running.values()) checker.stop();
    this.running.clear();
    this.options.notifications.stop();
  }

  private unchecked(upstreamId: string, state: UpstreamState): void {
    this.passivelyDown.delete(upstreamId);
    if (this.inUse.has(upstreamId) && state !== "unknown") {
      // Still served, but nobody checks it now: say so rather than show a verdict that goes stale.
      void this.options.recorder.observe(upstreamId, {
        state: "unknown",
        checkedAt: new Date(),
        latencyMs: null,
        message: "Health checks are off for this upstream",
      });
    }
    this.options.recorder.forget(upstreamId);
  }

  private onCheck(key: string, checker: ActiveChecker, report: CheckReport): void {
    const running = this.running.get(key);
    if (running?.checker !== checker || checker.stopped) return;
    const { result, state } = report;
    for (const upstreamId of running.target.upstreamIds) {
      // After a passive "down", a failed check that leaves the verdict up agrees something is
      // wrong: keep the "down" on record until a check passes or the verdict goes down too.
      const confirmsPassive = this.passivelyDown.has(upstreamId) && state === "up" && !result.ok;
      if (!confirmsPassive) this.passivelyDown.delete(upstreamId);
      if (state === "unknown" || confirmsPassive) continue;
      void this.options.recorder.observe(
        upstreamId,
        { state, checkedAt: report.checkedAt, latencyMs: result.latencyMs, message: result.message },
        state !== report.previous,
      );
    }
    if (state === report.previous || state === "unknown") return;
    this.options.logger.info(
      { address: report.address, sites: running.target.siteIds, state, previous: report.previous, reason: result.message },
      "upstream health changed",
    );
    this.options.notifications.changed(key, state, {
      address: running.target.address,
      siteIds: running.target.siteIds,
      siteNames: running.target.siteNames,
      message:
        result.message ??
        (result.status === null ? `Accepted a connection in ${result.latencyMs} ms` : `Answered HTTP ${result.status} in ${result.latencyMs} ms`),
    });
    this.publish();
  }

  private publish(): void {
    const states: UpstreamHealthStates = {};
    for (const [upstreamId, state] of Object.entries(this.states()).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (state !== "unknown") states[upstreamId] = state;
    }
    const serialized = JSON.stringify(states);
    if (serialized === this.lastBroadcast) return;
    this.lastBroadcast = serialized;
    this.options.broadcast(states);
  }
}
