/** Limits against slow or stuck peers. Defaults suit production; tests shorten them. */
export interface DataPlaneTimeouts {
  /** The client must send all request headers within this time (slowloris). */
  headersTimeoutMs: number;
  /** The client must send the whole request, body included, within this time. */
  requestTimeoutMs: number;
  /** An idle client keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** The upstream must answer (and keep sending) within this time, else 504. */
  proxyTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: DataPlaneTimeouts = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  proxyTimeoutMs: 60_000,
};

export function resolveTimeouts(overrides: Partial<DataPlaneTimeouts> = {}): DataPlaneTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...overrides };
  // Node refuses a headers timeout longer than the request timeout.
  if (timeouts.requestTimeoutMs > 0 && timeouts.headersTimeoutMs > timeouts.requestTimeoutMs) {
    timeouts.headersTimeoutMs = timeouts.requestTimeoutMs;
  }
  return timeouts;
}

/** Options shared by the HTTP and HTTPS servers. */
export function serverTimeoutOptions(timeouts: DataPlaneTimeouts) {
  return {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (default 30 s, which would let a slow
    // client hold a connection well past them).
    connectionsCheckingInterval: Math.max(100, Math.min(2_000, Math.floor(timeouts.headersTimeoutMs / 4))),
  };
}
