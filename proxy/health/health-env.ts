import { DEFAULT_NOTIFY_DEBOUNCE_MS } from "./notification-debouncer";

/** Settings of the health checks read from the environment (listed in the README). */
export interface HealthEnv {
  /** At most one upstream.down / upstream.recovered event per address in this many ms. */
  notifyDebounceMs: number;
}

export function readHealthEnv(env: NodeJS.ProcessEnv = process.env): HealthEnv {
  const debounce = Number(env.HEALTH_NOTIFY_DEBOUNCE_MS);
  return {
    notifyDebounceMs:
      env.HEALTH_NOTIFY_DEBOUNCE_MS !== undefined && env.HEALTH_NOTIFY_DEBOUNCE_MS !== "" && Number.isInteger(debounce) && debounce >= 0
        ? debounce
        : DEFAULT_NOTIFY_DEBOUNCE_MS,
  };
}
