import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { eventually } from "@/test-support/proxy-process";
import { WorkerPool } from "./worker-pool";

const dir = mkdtempSync(path.join(os.tmpdir(), "gk-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("survives sending to a worker that has just exited, and replaces the worker", { timeout: 30_000 }, async () => {
  // A worker that exits on its first message: the primary's next sends race its exit (EPIPE).
  const file = path.join(dir, "exits-on-message.mjs");
  writeFileSync(file, 'process.send({ type: "ready" });\nprocess.on("message", () => process.exit(0));\n');
  const pool = new WorkerPool({ size: 2, worker: { file, execArgv: [] }, env: process.env });
  let exits = 0;
  pool.on("exit", () => (exits += 1));
  pool.start();
  // Large messages stay queued on the channel, so they are written after the worker has gone.
  const large = { type: "tls-ticket-keys", keys: "k".repeat(1 << 20) } as const;
  let sending = true;
  const send = () => {
    for (let i = 0; i < 4; i++) pool.broadcast(large);
    if (sending) setImmediate(send);
  };
  send();
  await eventually(
    async () => exits,
    (count) => count >= 20,
    { timeoutMs: 25_000 },
  );
  sending = false;
  expect(pool.workers.length).toBeGreaterThan(0);
  await pool.stop(2_000);
});
