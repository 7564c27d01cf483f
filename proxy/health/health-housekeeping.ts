import type { Logger } from "pino";
import { forgetUnusedUpstreams, pruneHealthHistory } from "@/lib/services/upstream-health";

export const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Keeps the health tables bounded whatever the check interval: drops old history and forgets
 * upstreams no site has any more. Runs at start and then every hour.
 */
export class HealthHousekeeping {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    /** The upstream ids the current config uses. */
    private readonly upstreamsInUse: () => string[],
    private readonly logger: Logger,
    private readonly intervalMs = HOUSEKEEPING_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.run();
    this.timer = setInterval(() => void this.run(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await pruneHealthHistory(new Date());
      await forgetUnusedUpstreams(this.upstreamsInUse());
    } catch (error) {
      this.logger.warn({ err: error }, "could not prune the upstream health history");
    } finally {
      this.running = false;
    }
  }
}
