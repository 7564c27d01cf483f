import { readSettings, type Settings } from "@/lib/env/settings";

/** Limits against slow or stuck peers. Defaults suit production; tests shorten them. */
export interface DataPlaneTimeouts {
  /**
   * The client must send a request's headers within this time of opening the connection (or of
   * the last answer on it), and finish a TLS handshake within it (slowloris): 408 after.
   */
  headersTimeoutMs: number;
  /** The first bytes of a request body must come within this time, and no stall may last longer. */
  bodyTimeoutMs: number;
  /** A request body must keep up at least this pace (bytes per second), else 408. */
  bodyMinBytesPerSecond: number;
  /** An idle client keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** The upstream must answer (and keep sending) within this time, else 504. */
  proxyTimeoutMs: number;
}

/** The client timeouts as the environment sets them. */
export function timeoutsFromSettings(settings: Settings): Omit<DataPlaneTimeouts, "proxyTimeoutMs"> {
  return {
    headersTimeoutMs: settings.CLIENT_HEADER_TIMEOUT_MS,
    bodyTimeoutMs: settings.CLIENT_BODY_TIMEOUT_MS,
    bodyMinBytesPerSecond: settings.CLIENT_BODY_MIN_RATE,
    keepAliveTimeoutMs: settings.CLIENT_KEEPALIVE_TIMEOUT_MS,
  };
}

/** The settings' defaults (20 s for headers, 20 s and 500 bytes/s for bodies, 5 s keep-alive), and 60 s for upstreams. */
export const DEFAULT_TIMEOUTS: DataPlaneTimeouts = { ...timeoutsFromSettings(readSettings({} as NodeJS.ProcessEnv)), proxyTimeoutMs: 60_000 };

export function resolveTimeouts(overrides: Partial<DataPlaneTimeouts> = {}): DataPlaneTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...overrides };
}

/**
 * Options shared by the HTTP and HTTPS servers. Node's own headers and request timeouts are off:
 * they run only for servers that listen(), and the proxy's workers are handed their connections;
 * ClientConnection and RequestBody enforce them on every path instead.
 */
export function serverTimeoutOptions(timeouts: DataPlaneTimeouts) {
  return {
    headersTimeout: 0,
    requestTimeout: 0,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
  };
}
