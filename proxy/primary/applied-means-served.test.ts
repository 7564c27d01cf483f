import type { Worker } from "node:cluster";
import { EventEmitter } from "node:events";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, getSite } from "@/lib/services/sites";
import { useTempDatabase } from "@/test-support/database";
import { eventually } from "@/test-support/proxy-process";
import type { PrimaryToWorker, WorkerToPrimary } from "../ipc";
import { SnapshotPublisher } from "./snapshot-publisher";
import type { WorkerPool } from "./worker-pool";

/**
 * "Applied" on a site means every worker serves it. Under load a worker can take longer than the
 * primary waits to start (it answers only once it listens): the site must not show as applied
 * meanwhile, or its first visitor is refused. Two workers played by an emitter, as real workers
 * answer; one of them answers only once it is let.
 */
class TwoWorkers extends EventEmitter<{ message: [Worker, WorkerToPrimary] }> {
  readonly workers = [1, 2].map((id) => ({ id, isConnected: () => true }) as unknown as Worker);
  secondStarted = false;
  sendToOne(_message: PrimaryToWorker): void {}
  publish(message: PrimaryToWorker): void {
    if (message.type !== "snapshot") return;
    for (const worker of this.workers) {
      if (worker.id === 2 && !this.secondStarted) continue;
      setImmediate(() => this.emit("message", worker, { type: "applied", revision: message.snapshot.revision, siteErrors: {}, streamErrors: {} }));
    }
  }
}

let cleanup: () => Promise<void>;
let pool: TwoWorkers;
let publisher: SnapshotPublisher;

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  pool = new TwoWorkers();
  publisher = new SnapshotPublisher(pool as unknown as WorkerPool, { certificatePem: "", privateKeyPem: "" }, pino({ level: "silent" }));
});
afterAll(async () => cleanup?.());

describe("applied means served", () => {
  it("shows a site as applied only once every worker has said it serves it", { timeout: 30_000 }, async () => {
    const site = await createSite({
      name: "Shop",
      hostnames: ["shop.test"],
      upstreams: [{ url: "http://127.0.0.1:9" }],
      healthCheck: { enabled: false },
    });
    publisher.trigger();
    // Longer than the primary waits for the workers' answers.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await getSite(site.id)).status).toMatchObject({ applied: false, appliedRevision: null });
    expect(await publisher.whenApplied(1, 0)).toBe(false);

    pool.secondStarted = true;
    // The primary's regular poll sends it again; now both answer.
    await eventually(
      async () => {
        await publisher.poll();
        return getSite(site.id);
      },
      (current) => current.status.applied,
      { intervalMs: 200 },
    );
    expect(await publisher.whenApplied(1, 0)).toBe(true);
  });
});
