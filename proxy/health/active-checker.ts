import type { UpstreamState } from "@/lib/schemas/upstream-health";
import type { CheckSettings } from "./health-targets";
import { probe, type ProbeResult } from "./probe";

export interface CheckReport {
  address: string;
  /** The verdict after this check. */
  state: UpstreamState;
  /** The verdict before it. */
  previous: UpstreamState;
  result: ProbeResult;
  checkedAt: Date;
}

export interface ActiveCheckerOptions {
  /** Called after every check that was not stopped midway. */
  onCheck(report: CheckReport): void;
  /** The verdict to start from, for a checker that replaces one with other settings. Default unknown. */
  initialState?: UpstreamState;
}

/**
 * Checks one upstream address every interval, and turns results into a verdict: down after
 * `unhealthyThreshold` failures in a row, up after `healthyThreshold` passes in a row. From
 * "unknown" (nothing to protect yet) the first result decides, so a dead upstream is benched one
 * check after start instead of several. Belongs to one config generation: stop() aborts the
 * check in flight and the loop, and nothing is reported after it.
 */
export class ActiveChecker {
  private readonly controller = new AbortController();
  private current: UpstreamState;
  private passes = 0;
  private failures = 0;
  private last: ProbeResult | null = null;
  private started = false;

  constructor(
    readonly address: string,
    readonly settings: CheckSettings,
    private readonly options: ActiveCheckerOptions,
  ) {
    this.current = options.initialState ?? "unknown";
  }

  get state(): UpstreamState {
    return this.current;
  }

  get lastResult(): ProbeResult | null {
    return this.last;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** Checks at once, then every interval (measured from the start of each check). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.loop();
  }

  stop(): void {
    this.controller.abort();
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      const began = Date.now();
      const result = await probe(this.settings, signal);
      if (signal.aborted) return;
      this.judge(result);
      await sleep(Math.max(0, began + this.settings.intervalMs - Date.now()), signal);
    }
  }

  private judge(result: ProbeResult): void {
    const previous = this.current;
    this.last = result;
    if (result.ok) {
      this.passes += 1;
      this.failures = 0;
      if (previous === "unknown" || (previous === "down" && this.passes >= this.settings.healthyThreshold)) this.current = "up";
    } else {
      this.failures += 1;
      this.passes = 0;
      if (previous === "unknown" || (previous === "up" && this.failures >= this.settings.unhealthyThreshold)) this.current = "down";
    }
    try {
      this.options.onCheck({ address: this.address, state: this.current, previous, result, checkedAt: new Date() });
    } catch {
      // A failing listener must not stop the checks.
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
