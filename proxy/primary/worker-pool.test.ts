import { afterAll, expect, it } from "vitest";
import pino from "pino";
import { startBackend, unusedPort, type Backend } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { request } from "@/test-support/http-client";
import { eventually } from "@/test-support/proxy-process";
import { testSite, testSnapshot } from "@/test-support/snapshots";
import { snapshotChanges } from "@/lib/config/snapshot-changes";
import { AcmeChallengeStore } from "./acme-challenge-store";
import { WorkerPool } from "./worker-pool";
import { entryPoint } from "@/lib/env/entry-points";

let pool: WorkerPool | undefined;
let changesPool: WorkerPool | undefined;
let backend: Backend | undefined;
const certs = new TestCertificateFactory();

afterAll(async () => {
  await pool?.stop(3_000);
  await changesPool?.stop(3_000);
  await backend?.close();
  certs.cleanup();
});

it("hands a restarted worker the latest snapshot and the latest ACME challenges", { timeout: 60_000 }, async () => {
  backend = await startBackend({ name: "kept" });
  const [httpPort, httpsPort] = [await unusedPort(), await unusedPort()];
  pool = new WorkerPool({
    size: 1,
    worker: entryPoint("proxy-worker"),
    env: { ...process.env, HTTP_PORT: String(httpPort), HTTPS_PORT: String(httpsPort), PROXY_HOST: "127.0.0.1", LOG_LEVEL: "silent" },
  });
  const challenges = new AcmeChallengeStore(pool, pino({ level: "silent" }));
  let listening = 0;
  pool.on("message", (_worker, message) => {
    if (message.type === "listening") listening += 1;
  });
  pool.start();
  // As the primary does: workers start, then the first snapshot goes out; they listen once they have it.
  pool.broadcast({
    type: "snapshot",
    snapshot: testSnapshot(3, [testSite({ id: "s", hostnames: ["kept.test"], upstreams: [backend.url] })]),
    fallbackCertificate: certs.selfSigned(["fallback.invalid"]),
  });
  await eventually(
    async () => listening,
    (count) => count === 1,
    { timeoutMs: 30_000 },
  );
  // publish() resolves only once the worker confirmed it: the answer is served right away.
  await challenges.publish("old-token", "old-token.x");
  await challenges.publish("kept-token", "kept-token.y");
  await challenges.remove("old-token");
  const challenge = () => request({ port: httpPort, host: "any.test", path: "/.well-known/acme-challenge/kept-token" });
  expect((await challenge()).body).toBe("kept-token.y");
  await eventually(
    () => request({ port: httpPort, host: "kept.test" }),
    (response) => response.status === 200,
  );

  const [first] = pool.workers;
  first!.process.kill("SIGKILL");
  await eventually(
    async () => listening,
    (count) => count === 2,
    { timeoutMs: 30_000 },
  );
  expect(pool.workers.map((worker) => worker.id)).not.toContain(first!.id);
  // The restarted worker serves the site from its first accepted connection on.
  expect((await request({ port: httpPort, host: "kept.test" })).status).toBe(200);

  await eventually(challenge, (response) => response.body === "kept-token.y");
  expect((await request({ port: httpPort, host: "any.test", path: "/.well-known/acme-challenge/old-token" })).status).toBe(404);
  await eventually(
    () => request({ port: httpPort, host: "kept.test" }),
    (response) => response.status === 200,
  );
});

it("sends a worker changes only against the snapshot it serves; one that serves another gets the whole one", { timeout: 60_000 }, async () => {
  const site = await startBackend({ name: "changes" });
  const [httpPort, httpsPort] = [await unusedPort(), await unusedPort()];
  changesPool = new WorkerPool({
    size: 1,
    worker: entryPoint("proxy-worker"),
    env: { ...process.env, HTTP_PORT: String(httpPort), HTTPS_PORT: String(httpsPort), PROXY_HOST: "127.0.0.1", LOG_LEVEL: "silent" },
  });
  const answers: string[] = [];
  changesPool.on("message", (_worker, message) => {
    if (message.type === "applied" || message.type === "snapshot-wanted")
      answers.push(message.type === "applied" ? `applied ${message.revision}` : "wanted");
  });
  changesPool.start();
  const fallbackCertificate = certs.selfSigned(["fallback.invalid"]);
  const one = testSite({ id: "one", hostnames: ["one.test"], upstreams: [site.url] });
  const two = testSite({ id: "two", hostnames: ["two.test"], upstreams: [site.url] });
  const three = testSite({ id: "three", hostnames: ["three.test"], upstreams: [site.url] });
  const first = testSnapshot(1, [one]);
  changesPool.broadcast({ type: "snapshot", snapshot: first, fallbackCertificate });
  await eventually(
    async () => answers,
    (seen) => seen.includes("applied 1"),
    { timeoutMs: 30_000 },
  );

  // Changes against revision 2, which this worker never had: it asks, and gets the whole of revision 3.
  const third = testSnapshot(3, [one, two]);
  changesPool.publish({ type: "snapshot", snapshot: third, fallbackCertificate }, () => ({
    type: "snapshot-changes",
    changes: snapshotChanges(testSnapshot(2, [one]), third),
  }));
  await eventually(
    async () => answers,
    (seen) => seen.includes("applied 3"),
    { timeoutMs: 30_000 },
  );
  expect(answers).toEqual(["applied 1", "wanted", "applied 3"]);
  expect((await request({ port: httpPort, host: "two.test" })).status).toBe(200);

  // Changes against revision 3: applied as they are.
  const fourth = testSnapshot(4, [one, three]);
  changesPool.publish({ type: "snapshot", snapshot: fourth, fallbackCertificate }, () => ({
    type: "snapshot-changes",
    changes: snapshotChanges(third, fourth),
  }));
  await eventually(
    async () => answers,
    (seen) => seen.includes("applied 4"),
    { timeoutMs: 30_000 },
  );
  expect(answers).toEqual(["applied 1", "wanted", "applied 3", "applied 4"]);
  expect((await request({ port: httpPort, host: "three.test" })).status).toBe(200);
  expect((await request({ port: httpPort, host: "two.test" })).status).toBe(404);
  await site.close();
});
