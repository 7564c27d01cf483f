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
 * The primary's side of the certificate check, on a real database: what workers report reaches
 * each site's status, survives later applies, and never hides an apply error. The workers are
 * played by an emitter sending what real workers send (their own side is tested with real
 * handshakes in proxy/tls and proxy/primary/uploaded-certificates.test.ts).
 */
class WorkersThatAnswer extends EventEmitter<{ message: [Worker, WorkerToPrimary] }> {
  readonly workers: Worker[] = [];
  checksAsked = 0;
  sendToOne(message: PrimaryToWorker): void {
    if (message.type === "check-certificates") this.checksAsked += 1;
  }
  publish(message: PrimaryToWorker): void {
    if (message.type === "snapshot") {
      setImmediate(() =>
        this.emit("message", {} as Worker, { type: "applied", revision: message.snapshot.revision, siteErrors: {}, streamErrors: {} }),
      );
    }
  }
}

let cleanup: () => Promise<void>;
let workers: WorkersThatAnswer;
let publisher: SnapshotPublisher;
let rsaSite: string;
let ecSite: string;

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  rsaSite = (await createSite({ name: "RSA", hostnames: ["rsa.test"], upstreams: [{ url: "http://127.0.0.1:9" }], healthCheck: { enabled: false } }))
    .id;
  ecSite = (await createSite({ name: "EC", hostnames: ["ec.test"], upstreams: [{ url: "http://127.0.0.1:9" }], healthCheck: { enabled: false } })).id;
  workers = new WorkersThatAnswer();
  publisher = new SnapshotPublisher(workers as unknown as WorkerPool, { certificatePem: "", privateKeyPem: "" }, pino({ level: "silent" }));
  publisher.trigger();
  await eventually(
    () => getSite(rsaSite),
    (site) => site.status.applied,
  );
});
afterAll(async () => cleanup?.());

const report = (failed: Record<string, string>, passed: string[]) =>
  workers.emit("message", {} as Worker, { type: "certificates-checked", failed, passed });

describe("certificate check results", () => {
  it("asks one worker for a check after each apply that changed what is served", async () => {
    const before = workers.checksAsked;
    await createSite({ name: "Checked", hostnames: ["checked.test"], upstreams: [{ url: "http://127.0.0.1:9" }], healthCheck: { enabled: false } });
    publisher.trigger();
    await eventually(
      async () => workers.checksAsked,
      (asked) => asked === before + 1,
    );
  });

  it("shows a site whose visitors get another certificate as that site's error, and clears it once it passes", async () => {
    report({ [rsaSite]: "HTTPS visitors of rsa.test are shown the certificate for default.invalid" }, [ecSite]);
    await eventually(
      () => getSite(rsaSite),
      (site) => site.status.error?.includes("default.invalid") === true,
    );
    expect((await getSite(ecSite)).status.error).toBeNull();

    // A later apply keeps showing it while the workers have not said otherwise.
    await createSite({ name: "Other", hostnames: ["other.test"], upstreams: [{ url: "http://127.0.0.1:9" }], healthCheck: { enabled: false } });
    publisher.trigger();
    expect(await publisher.whenApplied((await getSite(rsaSite)).status.appliedRevision! + 1)).toBe(true);
    expect((await getSite(rsaSite)).status.error).toMatch(/default\.invalid/);

    report({}, [rsaSite]);
    await eventually(
      () => getSite(rsaSite),
      (site) => site.status.error === null,
    );
  });
});
