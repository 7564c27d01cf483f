import { ExplainRelay } from "./explain-relay";
import type { Server } from "node:http";
import { readSettings } from "@/lib/env/settings";
import { PROXY_WORKER_ALLOCATOR_ENV, entryPoint } from "@/lib/env/entry-points";
import { portErrorMessage } from "@/lib/env/port-error";
import { childLogger } from "@/lib/log";
import { generateSelfSigned } from "@/lib/certs/self-signed";
import { recordHeartbeat } from "@/lib/services/proxy-state";
import { closeDb } from "@/lib/db";
import { WorkerPool } from "./worker-pool";
import type { PrimaryToWorker } from "../ipc";
import { startTicketKeyRotation } from "./ticket-keys";
import { sendCertificateMaterial } from "./certificate-material";
import { SnapshotPublisher } from "./snapshot-publisher";
import { startControlServer } from "./control-server";
import { AcmeChallengeStore } from "./acme-challenge-store";
import { AcmeManager } from "./acme-manager";
import { startBackupSchedule } from "./backup-schedule";
import { startHealthChecks } from "../health/start-health-checks";
import { addTraffic, rollUpAndPrune } from "@/lib/services/traffic";
import { TrafficCollector } from "../traffic/traffic-collector";
import { trafficWriteMs } from "../traffic/traffic-env";
import { createPrimaryAccessLog } from "../access-log/primary-access-log";
import { TrafficTotals } from "../metrics/traffic-totals";
import { metricsHandler } from "../metrics/control-route";
import { LimitAuthority } from "./limit-authority";
import { CacheAuthority } from "./cache-authority";
import { isCacheLeaseMessage, isCachePurgedMessage, isCacheReleaseMessage } from "../cache/cache-messages";
import { cacheDir } from "@/lib/env/paths";
import { isLimitsMessage } from "../security/limit-messages";
import { siteLimitsKey } from "../security/site-protection";

const POLL_MS = 1_000;
const HEARTBEAT_MS = 2_000;
/** Exit code for "your configuration cannot work" (sysexits EX_CONFIG): the launcher does not restart it. */
export const EXIT_CONFIG = 78;

export interface RunningPrimary {
  /** Stops the control loops and the workers (they finish what they serve), then closes the database. */
  stop(): Promise<void>;
}

/**
 * The proxy primary owns the control loops: config delivery (notify + poll), status heartbeats,
 * ACME orders and renewals, and the data-plane workers it forks. It never serves traffic itself.
 * When it cannot work (a port it may not use), it stops and calls `stoppedItself` with EXIT_CONFIG.
 */
export async function startPrimary(stoppedItself: (code: number) => void): Promise<RunningPrimary> {
  const settings = readSettings();
  const logger = childLogger("proxy");
  let stopping: Promise<void> | null = null;
  const fallbackCertificate = await generateSelfSigned(["gatekeeper.invalid"], {});

  const pool = new WorkerPool({
    size: settings.PROXY_WORKERS,
    worker: entryPoint("proxy-worker"),
    env: { ...PROXY_WORKER_ALLOCATOR_ENV, ...process.env },
  });
  const publisher = new SnapshotPublisher(pool, fallbackCertificate, logger);
  const challenges = new AcmeChallengeStore(pool, logger);
  const acme = new AcmeManager({ challenges, publisher, httpPort: settings.HTTP_PORT, logger: childLogger("acme") });
  const health = await startHealthChecks({
    broadcast: (states) => pool.broadcast({ type: "upstream-health", states }),
    logger: childLogger("health"),
  });
  publisher.onServed((snapshot) => health.apply(snapshot));
  // Per-address limits over all workers: every token and slot is granted here.
  const cache = new CacheAuthority(pool, cacheDir(), childLogger("cache"));
  await cache.load();
  publisher.onServed((snapshot) => cache.apply(snapshot));
  const limits = new LimitAuthority();
  publisher.onServed((snapshot) => limits.retain(new Set(snapshot.sites.map(siteLimitsKey))));
  const traffic = new TrafficCollector({
    write: (deltas) => addTraffic(deltas),
    rollUp: () => rollUpAndPrune(),
    writeMs: trafficWriteMs(),
    logger: childLogger("traffic"),
  });
  traffic.start();
  const accessLog = createPrimaryAccessLog(childLogger("access-log"));
  // Cumulative counters since start, for Prometheus (the database rows get rolled up and pruned).
  const trafficTotals = new TrafficTotals();
  let listening = 0;
  const explainer = new ExplainRelay(pool);
  const backups = startBackupSchedule(childLogger("backup"));

  pool.on("message", (worker, message) => {
    if (message.type === "limits") {
      if (!isLimitsMessage(message)) return;
      const answers = limits.handle(worker.id, message.asks, message.releases);
      if (answers.length > 0 && worker.isConnected()) worker.send({ type: "limit-answers", answers } satisfies PrimaryToWorker);
    } else if (message.type === "cache-lease") {
      if (isCacheLeaseMessage(message)) cache.lease(worker, message.id, message.siteId, message.key);
    } else if (message.type === "cache-release") {
      if (isCacheReleaseMessage(message)) cache.release(message.siteId, message.key, message.written);
    } else if (message.type === "cache-purged") {
      if (isCachePurgedMessage(message)) cache.answerPurge(message.id, message.removed);
    } else if (message.type === "traffic") {
      traffic.add(message.deltas);
      trafficTotals.add(message.deltas);
    } else if (message.type === "access-log") {
      accessLog.add(message.entries);
    } else if (message.type === "certificate-wanted") {
      void sendCertificateMaterial(worker, message.id, logger);
    } else if (message.type === "upstream-failing") {
      health.reportFailing(message.upstreamId, message.reason);
    } else if (message.type === "listen-failed") {
      const setting = message.port === settings.HTTPS_PORT ? "HTTPS_PORT" : "HTTP_PORT";
      if (stopping) return;
      console.error(portErrorMessage(message.port, message.code, setting));
      void shutdown().then(() => stoppedItself(EXIT_CONFIG));
    } else if (message.type === "listening" && ++listening === settings.PROXY_WORKERS) {
      logger.info({ http: settings.HTTP_PORT, https: settings.HTTPS_PORT, workers: settings.PROXY_WORKERS }, "proxy listening");
      // Only now can the CA reach the challenge answers.
      void acme.start();
    }
  });
  pool.on("exit", (worker, code) => {
    limits.workerGone(worker.id);
    if (code !== 0 && code !== EXIT_CONFIG) logger.warn({ worker: worker.id, code }, "a proxy worker exited; starting another");
  });

  let control: Server;
  try {
    control = await startControlServer(settings.PROXY_CONTROL_PORT, {
      onReload: () => {
        publisher.trigger();
        acme.wake();
      },
      preflight: (hostnames) => acme.preflight(hostnames),
      accessLog: accessLog.rings,
      metrics: metricsHandler(trafficTotals),
      explain: (request) => explainer.explain(request),
      purgeCache: (siteId, purge) => cache.purge(siteId, purge),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown";
    console.error(portErrorMessage(settings.PROXY_CONTROL_PORT, code, "PROXY_CONTROL_PORT"));
    process.exit(EXIT_CONFIG);
  }

  pool.start();
  const stopTicketRotation = startTicketKeyRotation((message) => pool.broadcast(message));
  publisher.trigger();
  const poller = setInterval(() => void publisher.poll(), POLL_MS);
  const beat = () =>
    recordHeartbeat({ workers: pool.workers.length, httpPort: settings.HTTP_PORT, httpsPort: settings.HTTPS_PORT }).catch((error: unknown) =>
      logger.warn({ err: error }, "could not record the heartbeat"),
    );
  void beat();
  const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);

  const shutdown = () => (stopping ??= stopAll());
  async function stopAll(): Promise<void> {
    clearInterval(poller);
    clearInterval(heartbeat);
    stopTicketRotation();
    acme.stop();
    backups.stop();
    control.close();
    // The workers stop accepting, finish what they have, and exit.
    await Promise.all([pool.stop(), health.stop()]);
    // The workers handed over their last counts before exiting: write them while the database is open.
    await traffic.stop();
    await accessLog.close();
    await closeDb().catch(() => undefined);
  }
  return { stop: shutdown };
}
