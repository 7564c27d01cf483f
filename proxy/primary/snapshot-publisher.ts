import type { Worker } from "node:cluster";
import type { Logger } from "pino";
import { loadSnapshot } from "@/lib/config/load-snapshot";
import { SnapshotParts } from "@/lib/config/build-snapshot";
import { snapshotChanges } from "@/lib/config/snapshot-changes";
import { recordApplied, recordSiteErrors } from "@/lib/services/proxy-state";
import { currentRevision } from "@/lib/services/revision";
import type { ProxySnapshot } from "@/lib/schemas/snapshot";
import type { FallbackCertificate, PrimaryToWorker, WorkerToPrimary } from "../ipc";
import type { WorkerPool } from "./worker-pool";

const ACK_TIMEOUT_MS = 5_000;

/**
 * Turns "something may have changed" into "every worker serves the latest config": loads a
 * snapshot, skips it when its content is unchanged, never runs two loads at once (a change that
 * arrives meanwhile just marks the next load), broadcasts, and writes the per-site result back.
 */
export class SnapshotPublisher {
  private running = false;
  private again = false;
  private lastHash: string | null = null;
  private lastRevision = -1;
  private readonly acks = new Map<number, PendingAcks>();
  /** The newest revision every worker serves (or that changed nothing they serve). */
  private appliedRevision = -1;
  private readonly appliedWaiters = new Set<{ revision: number; resolve: (applied: boolean) => void }>();
  private readonly servedListeners = new Set<(snapshot: ProxySnapshot) => void>();
  /** Sites whose visitors get another certificate than their own, as the workers' handshakes last found. */
  private readonly certificateErrors = new Map<string, string>();
  /** The last snapshot the workers were sent and took: the next one goes as changes to it. */
  private sent: ProxySnapshot | null = null;
  /** The revision each worker (by cluster id) last said it serves. */
  private readonly servedBy = new Map<number, number>();
  /** What earlier loads read: a load reads only what was saved since. */
  private readonly parts = new SnapshotParts();
  /** The per-site errors of the last apply: they say more than a certificate check, which never hides them. */
  private applyErrors: Record<string, string> = {};
  /** The streams the workers could not serve at the last apply (a port taken, say): kept for revisions that change nothing they serve. */
  private streamErrors: Record<string, string> = {};

  constructor(
    private readonly pool: WorkerPool,
    private readonly fallbackCertificate: FallbackCertificate,
    private readonly logger: Logger,
  ) {
    pool.on("message", (worker, message) => this.onWorkerMessage(worker, message));
    pool.on("exit", (worker) => this.servedBy.delete(worker.id));
  }

  /** Cheap fallback that always works: compare the revision number, load only when it moved. */
  async poll(): Promise<void> {
    try {
      if ((await currentRevision()) !== this.lastRevision) this.trigger();
    } catch (error) {
      this.logger.warn({ err: error }, "could not read the config revision");
    }
  }

  /**
   * Resolves true once the workers serve this revision or a later one (a revision whose content
   * changes nothing they serve counts as soon as it is loaded), false after timeoutMs.
   */
  whenApplied(revision: number, timeoutMs = 30_000): Promise<boolean> {
    if (this.appliedRevision >= revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        revision,
        resolve: (applied: boolean) => {
          clearTimeout(timer);
          this.appliedWaiters.delete(waiter);
          resolve(applied);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.appliedWaiters.add(waiter);
    });
  }

  /**
   * Called with each snapshot whose content the workers took (not for a revision that changes
   * nothing they serve): the start of a config generation, for what belongs to one.
   */
  onServed(listener: (snapshot: ProxySnapshot) => void): void {
    this.servedListeners.add(listener);
  }

  private markApplied(revision: number): void {
    this.appliedRevision = Math.max(this.appliedRevision, revision);
    for (const waiter of [...this.appliedWaiters]) if (waiter.revision <= this.appliedRevision) waiter.resolve(true);
  }

  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.publish().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.trigger();
      }
    });
  }

  private async publish(): Promise<void> {
    let built: Awaited<ReturnType<typeof loadSnapshot>>;
    try {
      built = await loadSnapshot(this.parts);
    } catch (error) {
      this.logger.error({ err: error }, "could not build a config snapshot; the last good config keeps serving");
      return;
    }
    const { snapshot, hash } = built;
    const siteIds = new Set(snapshot.sites.map((site) => site.id));
    for (const id of this.certificateErrors.keys()) if (!siteIds.has(id)) this.certificateErrors.delete(id);
    this.lastRevision = snapshot.revision;
    let workerErrors: Record<string, string> = {};
    let streamErrors: Record<string, string> = {};
    if (hash !== this.lastHash) {
      this.sendToWorkers(snapshot);
      const { replies, complete } = await this.collectAcks(snapshot.revision);
      const failed = replies.find((reply) => reply.type === "apply-failed");
      if (failed?.type === "apply-failed") {
        this.logger.error({ revision: snapshot.revision, error: failed.error }, "workers refused the snapshot");
        return;
      }
      if (!complete) {
        // Applied means served by every worker: a worker still starting (or stuck) has not said so.
        this.logger.warn({ revision: snapshot.revision }, "not every worker confirmed the config in time; sending it again");
        this.lastRevision = -1;
        return;
      }
      for (const reply of replies) {
        if (reply.type !== "applied") continue;
        workerErrors = { ...workerErrors, ...reply.siteErrors };
        // A worker of an older build sends none.
        streamErrors = { ...streamErrors, ...reply.streamErrors };
      }
      this.streamErrors = streamErrors;
      // A stream whose port was taken is tried again with the next revision, even one that changes nothing.
      this.lastHash = Object.keys(streamErrors).length > 0 ? null : hash;
      this.sent = snapshot;
      this.logger.info({ revision: snapshot.revision, sites: snapshot.sites.length }, "config applied");
      this.pool.sendToOne({ type: "check-certificates" });
      for (const listener of this.servedListeners) {
        try {
          listener(snapshot);
        } catch (error) {
          this.logger.error({ err: error }, "a config listener failed");
        }
      }
    }
    this.markApplied(snapshot.revision);
    this.applyErrors = { ...built.siteErrors, ...workerErrors };
    await recordApplied({
      revision: snapshot.revision,
      snapshotHash: hash,
      siteErrors: { ...Object.fromEntries(this.certificateErrors), ...this.applyErrors },
      streamErrors: this.streamErrors,
    }).catch((error: unknown) => this.logger.warn({ err: error }, "could not record the applied revision"));
  }

  /** The whole snapshot to workers that start or fall behind; to the others, what changed since the one they serve. */
  private sendToWorkers(snapshot: ProxySnapshot): void {
    const whole: PrimaryToWorker = { type: "snapshot", snapshot, fallbackCertificate: this.fallbackCertificate };
    const sent = this.sent;
    const changes: PrimaryToWorker | null = sent === null ? null : { type: "snapshot-changes", changes: snapshotChanges(sent, snapshot) };
    this.pool.publish(whole, (worker) => (changes !== null && this.servedBy.get(worker.id) === sent?.revision ? changes : whole));
  }

  /** A worker's handshakes found which sites present their own certificate: the dashboard shows the rest. */
  private onCertificatesChecked(failed: Record<string, string>, passed: string[]): void {
    const changed: Record<string, string | null> = {};
    for (const id of passed) {
      if (this.certificateErrors.delete(id)) changed[id] = this.applyErrors[id] ?? null;
    }
    for (const [id, error] of Object.entries(failed)) {
      if (this.certificateErrors.get(id) === error) continue;
      this.certificateErrors.set(id, error);
      changed[id] = this.applyErrors[id] ?? error;
    }
    if (Object.keys(changed).length === 0) return;
    void recordSiteErrors(changed).catch((error: unknown) => this.logger.warn({ err: error }, "could not record the certificate check"));
  }

  /** Waits for every live worker to answer for this revision; `complete` is false after the timeout. */
  private collectAcks(revision: number): Promise<{ replies: WorkerToPrimary[]; complete: boolean }> {
    return new Promise((resolve) => {
      const pending: PendingAcks = {
        expected: this.pool.workers.length,
        replies: new Map(),
        finish: () => {
          clearTimeout(timer);
          this.acks.delete(revision);
          resolve({ replies: [...pending.replies.values()], complete: pending.replies.size >= pending.expected });
        },
      };
      const timer = setTimeout(pending.finish, ACK_TIMEOUT_MS);
      this.acks.set(revision, pending);
      if (pending.expected === 0) pending.finish();
    });
  }

  private onWorkerMessage(worker: Worker, message: WorkerToPrimary): void {
    if (message.type === "certificates-checked") this.onCertificatesChecked(message.failed, message.passed);
    if (message.type !== "applied" && message.type !== "apply-failed") return;
    if (message.type === "applied") this.servedBy.set(worker.id, message.revision);
    const pending = this.acks.get(message.revision);
    if (!pending) return;
    pending.replies.set(worker.id, message);
    if (pending.replies.size >= pending.expected) pending.finish();
  }
}

interface PendingAcks {
  expected: number;
  replies: Map<number, WorkerToPrimary>;
  finish: () => void;
}
