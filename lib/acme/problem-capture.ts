import { AsyncLocalStorage } from "node:async_hooks";
import * as acme from "acme-client";

/**
 * acme-client turns the CA's problem documents (RFC 8555 section 6.7) into plain Errors that keep
 * only the `detail` text, losing the `type` that tells a rate limit from a DNS problem. This reads
 * every response as it arrives and keeps the problems, per order (AsyncLocalStorage), by URL.
 */

export interface AcmeProblem {
  /** e.g. "urn:ietf:params:acme:error:rateLimited" */
  type: string;
  detail: string;
  /** The HTTP status of the response that carried it (200 for a challenge that turned invalid). */
  status?: number;
  /** The Retry-After header, as sent. */
  retryAfter?: string;
  subproblems?: Array<{ type: string; detail: string; identifier?: { type: string; value: string } }>;
}

export interface ProblemLog {
  byUrl: Map<string, AcmeProblem>;
  /** The problem of the latest response, if it carried one. */
  last: AcmeProblem | undefined;
  /** A connection error since the latest response (refused, TLS verification, ...). */
  network: Error | undefined;
}

const storage = new AsyncLocalStorage<ProblemLog>();
let installed = false;

/** Runs fn with its own problem log; read it with currentProblems() inside. */
export function withProblemCapture<T>(fn: (log: ProblemLog) => Promise<T>): Promise<T> {
  install();
  const log: ProblemLog = { byUrl: new Map(), last: undefined, network: undefined };
  return storage.run(log, () => fn(log));
}

function asProblem(value: unknown): Omit<AcmeProblem, "status" | "retryAfter"> | null {
  if (typeof value !== "object" || value === null) return null;
  const { type, detail, subproblems } = value as Record<string, unknown>;
  if (typeof type !== "string") return null;
  return {
    type,
    detail: typeof detail === "string" ? detail : "",
    ...(Array.isArray(subproblems) ? { subproblems: subproblems as AcmeProblem["subproblems"] } : {}),
  };
}

interface AcmeSettings {
  retryMaxAttempts: number;
  retryDefaultDelay: number;
}

function install(): void {
  if (installed) return;
  installed = true;
  const defaults = acme.axios.defaults as typeof acme.axios.defaults & { acmeSettings: AcmeSettings };
  // acme-client retries network errors and 5xx five times, waiting 5 s, 10 s, ... (75 s in all): a
  // CA that cannot be reached should say so within seconds. Orders are retried with backoff anyway.
  defaults.acmeSettings.retryMaxAttempts = 2;
  defaults.acmeSettings.retryDefaultDelay = 1;
  const previous = defaults.transformResponse;
  const chain = previous === undefined ? [] : Array.isArray(previous) ? previous : [previous];
  defaults.transformResponse = [
    ...chain,
    // axios calls transforms with the request config as `this`, for error responses too.
    function capture(this: { url?: string; retryAttempt?: number }, data: unknown, headers: unknown, status?: number) {
      const log = storage.getStore();
      if (status === 429) {
        // A rate limit's Retry-After can be hours: acme-client would sleep through it. Fail now.
        this.retryAttempt = Number.POSITIVE_INFINITY;
      }
      if (!log) return data;
      log.network = undefined;
      const body = data as { status?: unknown; error?: unknown } | null;
      const problem =
        status !== undefined && status >= 400
          ? asProblem(data)
          : body && typeof body === "object" && body.status === "invalid"
            ? asProblem(body.error)
            : null;
      let full: AcmeProblem | null = null;
      if (problem) {
        const retryAfter = headerValue(headers, "retry-after");
        full = { ...problem, ...(status ? { status } : {}), ...(retryAfter ? { retryAfter } : {}) };
        if (this.url) log.byUrl.set(this.url, full);
      }
      log.last = full ?? undefined;
      return data;
    },
  ];
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  const getter = (headers as { get?: (key: string) => unknown }).get;
  const value = typeof getter === "function" ? getter.call(headers, name) : (headers as Record<string, unknown>)[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Remembers, for the order whose request opened it, why a connection to the CA failed. */
export function recordConnectionErrors<T extends NodeJS.EventEmitter | null | undefined>(socket: T): T {
  const log = storage.getStore();
  if (log && socket) socket.once("error", (error: Error) => (log.network = error));
  return socket;
}
