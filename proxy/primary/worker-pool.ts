import cluster, { type Worker } from "node:cluster";
import { EventEmitter } from "node:events";
import type { PrimaryToWorker, WorkerToPrimary } from "../ipc";

export interface WorkerPoolOptions {
  size: number;
  /** What each worker runs (see entryPoint). */
  worker: { file: string; execArgv: string[] };
  env: NodeJS.ProcessEnv;
}

/**
 * Forks the data-plane workers, replaces one that dies, and sends each new worker the latest
 * message of each kind it has missed (the current snapshot and the current ACME challenges), so a
 * restarted worker serves the current config and answers the CA.
 */
export class WorkerPool extends EventEmitter<{
  message: [Worker, WorkerToPrimary];
  exit: [Worker, number | null];
}> {
  private stopping = false;
  /** The latest message of each type: each carries a whole state, so the latest is all a new worker needs. */
  private readonly latest = new Map<PrimaryToWorker["type"], PrimaryToWorker>();

  constructor(private readonly options: WorkerPoolOptions) {
    super();
  }

  start(): void {
    // Workers accept on listening sockets the primary shares with them, rather than the primary
    // accepting and passing each connection on: measured here (2 workers, wrk -c64) both spread
    // one address's keep-alive load evenly, and new connections went 1.04x to 2x faster without
    // the primary's per-connection hand-off, which also cost the primary ~30% of a core.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({ exec: this.options.worker.file, execArgv: this.options.worker.execArgv });
    for (let i = 0; i < this.options.size; i++) this.fork();
  }

  get workers(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  }

  /** Sends a message to one live worker (none when there is none); it is not replayed to later workers. */
  sendToOne(message: PrimaryToWorker): void {
    this.workers.find((worker) => worker.isConnected())?.send(message);
  }

  broadcast(message: PrimaryToWorker): void {
    this.publish(message, () => message);
  }

  /**
   * Sends each live worker what `messageFor` picks for it (the whole state, or what changed since
   * the state it has), and keeps `latest`, the whole state, for workers that start or fall behind.
   */
  publish(latest: PrimaryToWorker, messageFor: (worker: Worker) => PrimaryToWorker): void {
    this.latest.set(latest.type, latest);
    for (const worker of this.workers) if (worker.isConnected()) worker.send(messageFor(worker));
  }

  /** Asks workers to drain and exit; resolves once all have gone (or after the grace period). */
  async stop(graceMs = 12_000): Promise<void> {
    this.stopping = true;
    const alive = this.workers;
    await Promise.all(
      alive.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              worker.process.kill("SIGKILL");
              resolve();
            }, graceMs);
            worker.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill("SIGTERM");
          }),
      ),
    );
  }

  private fork(): void {
    const worker = cluster.fork(this.options.env);
    worker.on("exit", (code) => {
      this.emit("exit", worker, code);
      if (!this.stopping && code !== 78) this.fork();
    });
    // A send that races the worker's exit fails with EPIPE; the exit above replaces the worker.
    worker.on("error", () => undefined);
    worker.on("message", (message: WorkerToPrimary) => {
      if (message.type === "ready") {
        for (const latest of this.latest.values()) worker.send(latest);
      }
      if (message.type === "snapshot-wanted") {
        const snapshot = this.latest.get("snapshot");
        if (snapshot !== undefined) worker.send(snapshot);
      }
      this.emit("message", worker, message);
    });
  }
}
