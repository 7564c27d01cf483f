import type { Logger } from "pino";
import { forgetUnusedAddresses, pruneHealthHistory } from "../../lib/services/upstream-health";

export const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Keeps the health tables bounded whatever the check interval: drops old history and forgets
 * addresses no site uses any more. Runs at start and then every hour.
 */
export class HealthHousekeeping {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    /** The upstream addresses the current config uses. */
    private readonly addressesInUse: () => string[],
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
      await forgetUnusedAddresses(this.addressesInUse());
    } catch (error) {
      this.logger.warn({ err: error }, "could not prune the upstream health history");
    } finally {
      this.running = false;
    }
  }
}
