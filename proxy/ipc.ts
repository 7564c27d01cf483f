import type { Explanation, ExplainRequest } from "../lib/schemas/explain";
import type { CachePurgeScope } from "../lib/schemas/cache-purge";
import type { WrittenEntry } from "./cache/cache-coordinator";
import type { CertificateMaterial, ProxySnapshot, SnapshotChanges } from "../lib/schemas/snapshot";
import type { AccessLogEntry } from "../lib/traffic/access-log-entry";
import type { TrafficDelta } from "../lib/traffic/traffic-delta";
import type { RateLimitPolicy } from "./security/request-rate-limiter";

/**
 * A worker's question about a limit shared by all workers: take a token of a rate limit (`rate`),
 * or a slot of a cap on requests in progress (`maxPerClient`). `key` names the site's limits
 * (siteLimitsKey), `id` pairs the question with its answer.
 */
export type LimitAsk =
  | { id: number; key: string; client: string; rate: RateLimitPolicy }
  | { id: number; key: string; client: string; maxPerClient: number };

/** Slots of a cap a worker gives back (its requests finished). */
export interface LimitRelease {
  key: string;
  client: string;
  count: number;
}

/** The primary's answer to a LimitAsk: 0 granted, otherwise refused, with the ms until a token comes (1 for a cap). */
export type LimitAnswer = [id: number, refusedForMs: number];

/** Messages between the proxy primary and its data-plane workers (node:cluster IPC). */
export type PrimaryToWorker =
  | { type: "snapshot"; snapshot: ProxySnapshot; fallbackCertificate: FallbackCertificate }
  /** What changed since the snapshot the worker serves; a worker that serves another asks for the whole one. */
  | { type: "snapshot-changes"; changes: SnapshotChanges }
  /**
   * Every HTTP-01 answer the proxy must give now: token -> key authorization (the whole set each
   * time). `version` grows with every change; the worker acknowledges it once it answers them.
   */
  | { type: "acme-challenges"; version: number; challenges: Record<string, string> }
  /**
   * The active health checks' verdict per upstream id (each site's upstream judged by its own
   * site's check), the whole map each time. Upstreams not listed count as up until a check says otherwise.
   */
  | { type: "upstream-health"; states: Record<string, "up" | "down"> }
  /**
   * The session-ticket keys every worker uses (48 bytes, base64), so that a client resumes its
   * TLS session on whichever worker its next connection lands; replaced on rotation.
   */
  | { type: "tls-ticket-keys"; keys: string }
  /**
   * Check by real handshakes that each site presents its own certificate (sent to one worker after
   * each apply: every worker serves the same config, and each check builds the contexts it tries).
   */
  | { type: "check-certificates" }
  /** What would the proxy do with this request? Asked of one worker; `id` pairs it with the answer. */
  | { type: "explain"; id: number; request: ExplainRequest }
  /** Answers to the limit questions of one worker (sent to that worker only, in the order asked). */
  | { type: "limit-answers"; answers: LimitAnswer[] }
  /** Whether the worker that asked fetches a missing answer for all (true), or another did meanwhile (false). */
  | { type: "cache-lease-answer"; id: number; granted: boolean }
  /** Remove a site's cached answers from memory; `id` pairs it with the "cache-purged" answer. */
  | { type: "cache-purge"; id: number; siteId: string; scope: CachePurgeScope }
  /** A certificate's PEM text and key, or why there is none (sent to the worker that asked only). */
  | CertificateMaterialMessage;

export type CertificateMaterialMessage =
  | { type: "certificate-material"; id: string; material: CertificateMaterial }
  | { type: "certificate-material"; id: string; error: string };

export type WorkerToPrimary =
  /** The worker listens for messages: it gets the latest of each kind, and listens on the ports once it has a snapshot. */
  | { type: "ready" }
  | { type: "listening" }
  /** The worker could not listen on a port (`code`: EADDRINUSE, EACCES, ...); it exits with EX_CONFIG. */
  | { type: "listen-failed"; port: number; code: string }
  /**
   * The worker serves this revision: the sites it could not compile, and the streams it cannot
   * serve (their config, or a port it could not open), by id. Sent once the streams' ports are
   * open or failed.
   */
  | { type: "applied"; revision: number; siteErrors: Record<string, string>; streamErrors: Record<string, string> }
  /** Changes arrived for a snapshot this worker does not serve: it needs the whole current one. */
  | { type: "snapshot-wanted" }
  | { type: "apply-failed"; revision: number; error: string }
  /**
   * After an apply, real handshakes showed which sites present their own certificate (passed) and
   * which present another one or none (failed, with the reason in plain words).
   */
  | { type: "certificates-checked"; failed: Record<string, string>; passed: string[] }
  | { type: "acme-challenges-applied"; version: number }
  /** Passive check: this worker saw an upstream (by id) fail repeatedly and benched it for a cool-down. */
  | { type: "upstream-failing"; upstreamId: string; reason: string }
  /** Traffic counted since the last hand-over, per site and minute (a few seconds' worth). */
  | { type: "traffic"; deltas: TrafficDelta[] }
  /** Requests finished since the last hand-over, oldest first (bounded per site by the worker). */
  | { type: "access-log"; entries: AccessLogEntry[] }
  /** Shared limits: slots given back, then questions (batched per event-loop turn). */
  | { type: "limits"; asks: LimitAsk[]; releases: LimitRelease[] }
  /** A handshake needs this certificate, and the worker has not built it (or no longer keeps it). */
  | { type: "certificate-wanted"; id: string }
  | { type: "explained"; id: number; explanation: Explanation }
  /** May this worker fetch the missing answer under this key for every worker? */
  | { type: "cache-lease"; id: number; siteId: string; key: string }
  /** The fetch under a lease is over; `written`: the files it wrote, for the disk budget. */
  | { type: "cache-release"; siteId: string; key: string; written: WrittenEntry[] }
  /** How many answers a purge removed from this worker's memory. */
  | { type: "cache-purged"; id: number; removed: number };

/** The certificate served when SNI names no known site, so a handshake still completes. */
export interface FallbackCertificate {
  certificatePem: string;
  privateKeyPem: string;
}
