import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBackend, unusedPort, type Backend, type EchoResponse } from "../test-support/backend";
import { TestCertificateFactory } from "../test-support/certs";
import { request } from "../test-support/http-client";
import { testSite, testSnapshot } from "../test-support/snapshots";
import type { FallbackCertificate, PrimaryToWorker, WorkerToPrimary } from "./ipc";

const root = path.resolve(import.meta.dirname, "..");
let certs: TestCertificateFactory;
let fallbackCertificate: FallbackCertificate;
let backend: Backend;
const children: ChildProcess[] = [];

beforeAll(async () => {
  certs = new TestCertificateFactory();
  fallbackCertificate = certs.selfSigned(["fallback.invalid"]);
  backend = await startBackend({ name: "behind-worker", delayMs: 200 });
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});
afterAll(async () => {
  await backend?.close();
  certs?.cleanup();
});

interface Worker {
  child: ChildProcess;
  next(): Promise<WorkerToPrimary>;
  exited: Promise<number | null>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = fork(path.join(root, "proxy/worker.ts"), {
    cwd: root,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, PROXY_HOST: "127.0.0.1", LOG_LEVEL: "silent", DATA_DIR: "/nonexistent/no-database-here", ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(child);
  const queue: WorkerToPrimary[] = [];
  const waiters: Array<(message: WorkerToPrimary) => void> = [];
  child.on("message", (message: WorkerToPrimary) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  return {
    child,
    next: () => {
      const queued = queue.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
    },
    exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
  };
}

const send = (child: ChildProcess, message: PrimaryToWorker | Record<string, unknown>) => child.send(message);

describe("proxy worker", () => {
  it("listens on its ports once it has a snapshot, applies snapshots, reports failures, and drains in-flight requests on SIGTERM", async () => {
    const httpPort = await unusedPort();
    const worker = startWorker({ HTTP_PORT: String(httpPort), HTTPS_PORT: String(await unusedPort()) });
    expect(await worker.next()).toEqual({ type: "ready" });
    // Without its configuration a worker would answer 404 for every site: it does not accept yet.
    await expect(request({ port: httpPort, host: "w.test" })).rejects.toThrow(/ECONNREFUSED/);

    const snapshot = testSnapshot(7, [testSite({ id: "w", hostnames: ["w.test"], upstreams: [backend.url] })]);
    send(worker.child, { type: "snapshot", snapshot, fallbackCertificate });
    // It answers for its first snapshot only once it accepts: the dashboard shows "applied" as live.
    expect(await worker.next()).toEqual({ type: "listening" });
    expect(await worker.next()).toEqual({ type: "applied", revision: 7, siteErrors: {}, streamErrors: {} });
    const res = await request({ port: httpPort, host: "w.test" });
    expect((JSON.parse(res.body) as EchoResponse).backend).toBe("behind-worker");

    send(worker.child, { type: "snapshot", snapshot: { revision: 8, sites: "broken" }, fallbackCertificate } as Record<string, unknown>);
    expect(await worker.next()).toMatchObject({ type: "apply-failed", revision: 8, error: expect.stringMatching(/snapshot/) });
    // The old configuration still serves.
    expect((await request({ port: httpPort, host: "w.test" })).status).toBe(200);

    const arrived = backend.nextRequest();
    const inFlight = request({ port: httpPort, host: "w.test" });
    await arrived;
    worker.child.kill("SIGTERM");
    expect((await inFlight).status).toBe(200);
    expect(await worker.exited).toBe(0);
  });
});
