import type { Worker } from "node:cluster";
import { AppError } from "@/lib/errors";
import type { Explanation, ExplainRequest } from "@/lib/schemas/explain";
import type { PrimaryToWorker, WorkerToPrimary } from "../ipc";
import type { WorkerPool } from "./worker-pool";

/** A worker answers in milliseconds; longer means it is busy or stuck, and the dashboard says so. */
const EXPLAIN_TIMEOUT_MS = 5_000;

/**
 * Asks one worker what it would do with a request: the workers hold the compiled config, the
 * protections and the upstreams' live state, so their answer is what a visitor would get.
 */
export class ExplainRelay {
  private nextId = 1;
  private readonly pending = new Map<number, (explanation: Explanation) => void>();

  constructor(private readonly pool: WorkerPool) {
    pool.on("message", (_worker: Worker, message: WorkerToPrimary) => {
      if (message.type === "explained") this.pending.get(message.id)?.(message.explanation);
    });
  }

  explain(request: ExplainRequest): Promise<Explanation> {
    const worker = this.pool.workers.find((candidate) => candidate.isConnected());
    if (worker === undefined) return Promise.reject(new AppError("internal", "The proxy has no worker running to explain the request"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AppError("internal", "The proxy's worker did not answer in time; try again in a moment"));
      }, EXPLAIN_TIMEOUT_MS);
      this.pending.set(id, (explanation) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(explanation);
      });
      worker.send({ type: "explain", id, request } satisfies PrimaryToWorker);
    });
  }
}
