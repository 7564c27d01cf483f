export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/**
 * Failures to reach or talk to the upstream at all, as opposed to the upstream answering slowly
 * or badly. Only these move a request to another upstream: a slow upstream may still be working
 * on it, and sending the same slow request to the next one would double the load for nothing.
 */
const CONNECTION_FAILURES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed while sending",
  ECONNABORTED: "connection aborted",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  EHOSTDOWN: "host down",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  UND_ERR_SOCKET: "connection closed by the upstream",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

/** The connection was never made: nothing of the request reached the upstream. */
const CONNECT_FAILURES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** No answer (or no new answer bytes) in time: the upstream may still be working on the request. */
const TIMEOUTS: ReadonlySet<string> = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

export function isTimeout(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && TIMEOUTS.has(code);
}

export function isConnectFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && CONNECT_FAILURES.has(code);
}

export function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && code in CONNECTION_FAILURES;
}

/**
 * The connection broke before any answer: on a pooled keep-alive connection this is most often
 * the upstream closing it just as it was reused, when the request never reached the application.
 */
export function isBrokenConnection(error: unknown): boolean {
  const code = errorCode(error);
  return code === "UND_ERR_SOCKET" || code === "ECONNRESET" || code === "EPIPE";
}

/** Plain words for the dashboard and the logs; never sent to clients. */
export function describeUpstreamFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  const code = errorCode(error);
  if (code !== undefined) {
    const words = CONNECTION_FAILURES[code];
    return words !== undefined ? `${words} (${code})` : `error ${code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
