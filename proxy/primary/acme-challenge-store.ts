import type { Worker } from "node:cluster";
import type { Logger } from "pino";
import type { ChallengePublisher } from "@/lib/acme/order-runner";
import type { WorkerToPrimary } from "../ipc";
import type { WorkerPool } from "./worker-pool";

const ACK_TIMEOUT_MS = 3_000;

/**
 * The HTTP-01 answers the proxy gives right now (orders and pre-flight probes), kept in the
 * primary and broadcast whole to every worker on each change. publish() resolves once every live
 * worker has them, so the CA is told to look only when the proxy can answer.
 */
export class AcmeChallengeStore implements ChallengePublisher {
  private readonly challenges = new Map<string, string>();
  private version = 0;
  /** Highest version each worker (by id) has confirmed. */
  private readonly confirmed = new Map<number, number>();
  private readonly waiters = new Set<{ version: number; check: () => void }>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly logger: Logger,
  ) {
    pool.on("message", (worker, message) => this.onWorkerMessage(worker, message));
    pool.on("exit", (worker) => {
      this.confirmed.delete(worker.id);
      this.recheck();
    });
  }

  async publish(token: string, keyAuthorization: string): Promise<void> {
    this.challenges.set(token, keyAuthorization);
    await this.broadcast();
  }

  async remove(token: string): Promise<void> {
    if (this.challenges.delete(token)) await this.broadcast();
  }

  get current(): Record<string, string> {
    return Object.fromEntries(this.challenges);
  }

  private broadcast(): Promise<void> {
    const version = ++this.version;
    this.pool.broadcast({ type: "acme-challenges", version, challenges: this.current });
    return new Promise((resolve) => {
      const waiter = {
        version,
        check: () => {
          const live = this.pool.workers.filter((worker) => worker.isConnected());
          if (live.every((worker) => (this.confirmed.get(worker.id) ?? 0) >= version)) finish();
        },
      };
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      // A worker that is starting gets the set when it listens; nobody waits forever for it.
      const timer = setTimeout(() => {
        this.logger.warn({ version }, "not every proxy worker confirmed the ACME challenges in time");
        finish();
      }, ACK_TIMEOUT_MS);
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  private onWorkerMessage(worker: Worker, message: WorkerToPrimary): void {
    if (message.type !== "acme-challenges-applied") return;
    this.confirmed.set(worker.id, Math.max(message.version, this.confirmed.get(worker.id) ?? 0));
    this.recheck();
  }

  private recheck(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }
}
