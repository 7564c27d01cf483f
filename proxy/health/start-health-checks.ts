import type { Logger } from "pino";
import type { ProxySnapshot } from "@/lib/schemas/snapshot";
import { lastKnownStates } from "@/lib/services/upstream-health";
import { readHealthEnv } from "./health-env";
import { HealthHousekeeping } from "./health-housekeeping";
import { HealthMonitor, type UpstreamHealthStates } from "./health-monitor";
import { sendUpstreamEvent } from "./health-notifier";
import { HealthRecorder } from "./health-recorder";
import { NotificationDebouncer } from "./notification-debouncer";

export interface HealthChecks {
  /** Reconciles the checkers with a snapshot the workers now serve. */
  apply(snapshot: ProxySnapshot): void;
  /** A worker's passive check benched an upstream (by id). */
  reportFailing(upstreamId: string, reason: string): void;
  /** Stops every checker and timer and waits for pending database writes. */
  stop(): Promise<void>;
}

export interface HealthChecksOptions {
  broadcast(states: UpstreamHealthStates): void;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Wires the active health checks of the primary: checkers, database, webhook, housekeeping. */
export async function startHealthChecks(options: HealthChecksOptions): Promise<HealthChecks> {
  const { logger } = options;
  const env = readHealthEnv(options.env);
  const recorder = new HealthRecorder({ logger });
  const notifications = new NotificationDebouncer({
    debounceMs: env.notifyDebounceMs,
    send: (event) => {
      logger.info({ event: event.event, address: event.address }, "sending upstream notification");
      void sendUpstreamEvent(event);
    },
  });
  const monitor = new HealthMonitor({ broadcast: options.broadcast, recorder, notifications, logger });
  monitor.remember(await persistedStates(logger));
  const housekeeping = new HealthHousekeeping(() => monitor.upstreamsInUse, logger);

  return {
    apply(snapshot) {
      monitor.apply(snapshot);
      // The first run needs the addresses in use, which the first snapshot brings.
      housekeeping.start();
    },
    reportFailing: (upstreamId, reason) => monitor.reportFailing(upstreamId, reason),
    async stop() {
      housekeeping.stop();
      monitor.stop();
      await recorder.flush();
    },
  };
}

/** The verdicts the database holds from before this process started, by upstream id. */
async function persistedStates(logger: Logger): Promise<Map<string, "up" | "down">> {
  try {
    return await lastKnownStates();
  } catch (error) {
    logger.warn({ err: error }, "could not read the last known upstream health");
    return new Map();
  }
}
