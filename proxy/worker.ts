import { cacheDir } from "../lib/env/paths";
import { LeasesFromPrimary } from "./cache/leases-from-primary";
import { isCacheLeaseAnswerMessage, isCachePurgeMessage } from "./cache/cache-messages";
import { readSettings, type Settings } from "../lib/env/settings";
import { explainRequestSchema, type ExplainRequest } from "../lib/schemas/explain";
import { childLogger } from "../lib/log";
import { createDataPlane, type ApplyResult, type DataPlane } from "./data-plane/create-data-plane";
import type { PrimaryToWorker, WorkerToPrimary } from "./ipc";
import { trafficCountingEnabled, trafficFlushMs } from "./traffic/traffic-env";
import { sendAccessLog } from "./access-log/send-access-log";
import { timeoutsFromSettings } from "./data-plane/server-timeouts";
import { SharedLimits } from "./security/shared-limits";
import { isLimitAnswersMessage } from "./security/limit-messages";
import { ListenError } from "./data-plane/listen-error";
import { ownPorts } from "../lib/net/upstream-target";
import { isCertificateMaterialMessage, MaterialFromPrimary } from "./tls/material-from-primary";

/**
 * A data-plane worker (forked by the primary with node:cluster). It serves traffic from the
 * snapshots the primary sends and never touches the database, so traffic keeps flowing while
 * the database or the dashboard are down.
 */

/** sysexits EX_CONFIG: the primary does not restart a worker that exits with it. */
const EXIT_CONFIG = 78;
/** Exit code after an unexpected exception: the primary forks a fresh worker. */
const EXIT_SOFTWARE = 70;
/** In-flight requests get this long to finish on shutdown; the primary's own grace period is longer. */
const DRAIN_MS = 10_000;

const logger = childLogger("proxy-worker");

function send(message: WorkerToPrimary): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function isSnapshotMessage(message: unknown): message is Extract<PrimaryToWorker, { type: "snapshot" }> {
  return typeof message === "object" && message !== null && "type" in message && message.type === "snapshot" && "snapshot" in message;
}

function isSnapshotChangesMessage(message: unknown): message is Extract<PrimaryToWorker, { type: "snapshot-changes" }> {
  return typeof message === "object" && message !== null && "type" in message && message.type === "snapshot-changes" && "changes" in message;
}

function isChallengesMessage(message: unknown): message is Extract<PrimaryToWorker, { type: "acme-challenges" }> {
  if (typeof message !== "object" || message === null || !("type" in message) || message.type !== "acme-challenges") return false;
  const { challenges, version } = message as { challenges?: unknown; version?: unknown };
  return (
    typeof version === "number" &&
    typeof challenges === "object" &&
    challenges !== null &&
    Object.values(challenges).every((value) => typeof value === "string")
  );
}

function isUpstreamHealthMessage(message: unknown): message is Extract<PrimaryToWorker, { type: "upstream-health" }> {
  if (typeof message !== "object" || message === null || !("type" in message) || message.type !== "upstream-health") return false;
  const { states } = message as { states?: unknown };
  return typeof states === "object" && states !== null && Object.values(states).every((state) => state === "up" || state === "down");
}

function isCheckCertificatesMessage(message: unknown): message is Extract<PrimaryToWorker, { type: "check-certificates" }> {
  return typeof message === "object" && message !== null && "type" in message && message.type === "check-certificates";
}

/** The request to explain, checked as the control port checked it: a worker trusts no message's shape. */
function explainMessage(message: unknown): { id: number; request: ExplainRequest } | null {
  if (typeof message !== "object" || message === null || !("type" in message) || message.type !== "explain") return null;
  const { id, request } = message as { id?: unknown; request?: unknown };
  const parsed = explainRequestSchema.safeParse(request);
  return typeof id === "number" && parsed.success ? { id, request: parsed.data } : null;
}

function isTicketKeysMessage(message: unknown): message is Extract<PrimaryToWorker, { type: "tls-ticket-keys" }> {
  if (typeof message !== "object" || message === null || !("type" in message) || message.type !== "tls-ticket-keys") return false;
  const { keys } = message as { keys?: unknown };
  return typeof keys === "string" && Buffer.from(keys, "base64").length === 48;
}

/** The revision a (possibly invalid) snapshot claims, for the reply. */
function claimedRevision(snapshot: unknown): number {
  if (typeof snapshot !== "object" || snapshot === null || !("revision" in snapshot)) return -1;
  return typeof snapshot.revision === "number" ? snapshot.revision : -1;
}

/**
 * The primary marks a revision applied on the workers' replies, and the dashboard then shows the
 * site as live: a worker replies only once it accepts connections, or the first visitor after
 * "applied" could be refused.
 */
function applySnapshot(plane: DataPlane, message: Extract<PrimaryToWorker, { type: "snapshot" }>, listening: Promise<void>): void {
  const result = safely(() => plane.apply(message.snapshot, message.fallbackCertificate));
  void listening.then(() => reply(plane, result, message.snapshot));
}

function applyChanges(plane: DataPlane, message: Extract<PrimaryToWorker, { type: "snapshot-changes" }>, listening: Promise<void>): void {
  const result = safely(() => plane.applyChanges(message.changes));
  if (result === "stale") void send({ type: "snapshot-wanted" });
  else void listening.then(() => reply(plane, result, message.changes));
}

function safely<T>(apply: () => T): T | ApplyResult {
  try {
    return apply();
  } catch (error) {
    logger.error({ err: error }, "applying the snapshot failed unexpectedly");
    return { ok: false, error: "The proxy worker could not apply this configuration." };
  }
}

/** An applied revision is answered once its streams' ports are open or failed, with those that failed. */
async function reply(plane: DataPlane, result: ApplyResult, claimed: unknown): Promise<void> {
  if (!result.ok) {
    await send({ type: "apply-failed", revision: claimedRevision(claimed), error: result.error });
    return;
  }
  const streamErrors = await plane.streamErrors();
  await send({ type: "applied", revision: result.revision, siteErrors: result.siteErrors, streamErrors });
}

/**
 * When the primary asks (after an apply), checks by real handshakes that every site presents its
 * own certificate, and tells the primary, which shows a mismatch as the site's error. It runs
 * after the new config is live (a few milliseconds per site, so thousands of sites would hold up
 * the apply), one run at a time; an ask during a run asks for another.
 */
function certificateChecker(plane: DataPlane): () => void {
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    running = true;
    do {
      again = false;
      try {
        const { failed, passed } = await plane.checkCertificates();
        if (Object.keys(failed).length > 0) logger.warn({ failed }, "sites present another certificate than their own");
        if (Object.keys(failed).length > 0 || passed.length > 0) await send({ type: "certificates-checked", failed, passed });
      } catch (error) {
        logger.error({ err: error }, "checking the certificates presented failed unexpectedly");
      }
    } while (again);
    running = false;
  };
  return () => {
    if (running) again = true;
    else void run();
  };
}

async function listen(plane: DataPlane): Promise<void> {
  try {
    await plane.listen();
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    // The primary explains the port in one line and stops; a restarted worker would fail the same way.
    await send({ type: "listen-failed", port: error.port, code: error.code });
    process.exit(EXIT_CONFIG);
  }
  await send({ type: "listening" });
}

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = readSettings();
  } catch (error) {
    logger.fatal({ err: error }, "invalid settings");
    process.exit(EXIT_CONFIG);
  }

  // Connections spread over all workers, so the primary counts the per-address limits for all.
  const limits = new SharedLimits({ send: (message) => void send(message), connected: () => process.connected === true });
  const certificates = new MaterialFromPrimary((message) => void send(message));
  const cacheLeases = new LeasesFromPrimary((message) => void send(message));
  const plane = createDataPlane({
    certificateMaterial: certificates.source,
    httpPort: settings.HTTP_PORT,
    httpsPort: settings.HTTPS_PORT,
    host: settings.PROXY_HOST,
    ownPorts: ownPorts(settings),
    logger,
    timeouts: timeoutsFromSettings(settings),
    // Passive checks benched an upstream: the primary puts it on the health timeline.
    onUpstreamFailing: (upstreamId, reason) => void send({ type: "upstream-failing", upstreamId, reason }),
    traffic: { enabled: trafficCountingEnabled() },
    limits,
    cache: { dir: cacheDir(), memoryShare: 1 / settings.PROXY_WORKERS, coordinator: cacheLeases },
  });

  // Counts and access-log entries leave the worker every few seconds, never per request; the
  // primary batches the writes.
  const flushTraffic = async (): Promise<void> => {
    const deltas = plane.drainTraffic();
    const entries = plane.drainAccessLog();
    await Promise.all([deltas.length > 0 ? send({ type: "traffic", deltas }) : undefined, sendAccessLog(entries, send)]);
  };
  const trafficTimer = setInterval(() => void flushTraffic(), trafficFlushMs());
  trafficTimer.unref();

  const checkCertificates = certificateChecker(plane);
  let stopping = false;
  const shutdown = async (reason: string, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "worker stopping: draining in-flight requests");
    // Belt and braces: whatever happens in close(), the worker does exit.
    setTimeout(() => process.exit(code), DRAIN_MS + 2_000).unref();
    try {
      await plane.close({ drainMs: DRAIN_MS });
    } catch (error) {
      logger.error({ err: error }, "error while closing");
    }
    clearInterval(trafficTimer);
    // The requests that finished while draining are handed over too (a no-op once disconnected).
    await flushTraffic().catch((error: unknown) => logger.warn({ err: error }, "could not hand over the last traffic counts and access-log entries"));
    process.exit(code);
  };

  let configured: () => void;
  const firstSnapshot = new Promise<void>((resolve) => (configured = resolve));
  const listening = firstSnapshot.then(() => listen(plane));
  process.on("message", (message: unknown) => {
    // Requests being drained may still wait for their answers.
    if (isLimitAnswersMessage(message)) {
      limits.answer(message.answers);
      return;
    }
    if (isCertificateMaterialMessage(message)) {
      certificates.receive(message);
      return;
    }
    if (isCacheLeaseAnswerMessage(message)) {
      cacheLeases.answer(message.id, message.granted);
      return;
    }
    if (stopping) return;
    if (isSnapshotMessage(message)) {
      applySnapshot(plane, message, listening);
      configured();
    } else if (isSnapshotChangesMessage(message)) applyChanges(plane, message, listening);
    else if (isCheckCertificatesMessage(message)) checkCertificates();
    else if (isChallengesMessage(message)) {
      plane.setAcmeChallenges(message.challenges);
      void send({ type: "acme-challenges-applied", version: message.version });
    } else if (isUpstreamHealthMessage(message)) plane.setUpstreamHealth(message.states);
    else if (isTicketKeysMessage(message)) plane.setTicketKeys(Buffer.from(message.keys, "base64"));
    else if (isCachePurgeMessage(message))
      void send({ type: "cache-purged", id: message.id, removed: plane.purgeCache(message.siteId, message.scope) });
    else {
      const explain = explainMessage(message);
      if (explain !== null) {
        void plane
          .explain(explain.request)
          .then((explanation) => send({ type: "explained", id: explain.id, explanation }))
          .catch((error: unknown) => logger.error({ err: error }, "explaining a request failed unexpectedly"));
      }
    }
  });
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  // The primary went away (or disconnected us on purpose): nobody will send config any more.
  process.on("disconnect", () => {
    limits.abandon();
    cacheLeases.abandon();
    void shutdown("disconnected from the primary", 0);
  });
  process.on("uncaughtException", (error) => {
    logger.fatal({ err: error }, "uncaught exception in the proxy worker");
    void shutdown("uncaught exception", EXIT_SOFTWARE);
  });
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled promise rejection"));

  // Every worker accepts on the same listening sockets (the primary shares them, see
  // worker-pool.ts), so connections spread over all workers whatever their client address; a
  // worker that accepted before it had its configuration would answer 404 for every site.
  await send({ type: "ready" });
  await listening;
}

await main();
