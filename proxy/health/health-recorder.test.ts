import { pino } from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { useTempDatabase } from "@/test-support/database";
import { recordHealthBatch } from "@/lib/services/upstream-health";
import { HealthRecorder } from "./health-recorder";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
});
afterEach(() => cleanup());

const A = "http://10.0.0.5:8080";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const observation = (state: "up" | "down", latencyMs: number | null) => ({
  state,
  checkedAt: new Date(),
  latencyMs,
  message: state === "down" ? "Connection refused" : null,
});

it("writes a change at once, and an unchanged state at most once per interval", async () => {
  const recorder = new HealthRecorder({ logger: pino({ level: "silent" }), writeIntervalMs: 1_500 });
  expect(await recorder.observe(A, observation("up", 11))).toBe(true);
  expect(await recorder.observe(A, observation("up", 12))).toBe(false);
  expect(await recorder.observe(A, observation("up", 13))).toBe(false);
  expect((await db().upstreamHealth.findUniqueOrThrow({ where: { upstreamId: A } })).latencyMs).toBe(11);

  expect(await recorder.observe(A, observation("down", null))).toBe(true);
  expect(await db().upstreamHealth.findUniqueOrThrow({ where: { upstreamId: A } })).toMatchObject({ state: "down", message: "Connection refused" });
  await recorder.observe(A, observation("down", null));
  await sleep(1_600);
  const later = observation("down", null);
  await recorder.observe(A, later);
  expect((await db().upstreamHealth.findUniqueOrThrow({ where: { upstreamId: A } })).checkedAt).toEqual(later.checkedAt);
  expect((await db().upstreamHealthEvent.findMany({ orderBy: { id: "asc" } })).map((event) => event.state)).toEqual(["up", "down"]);
});

it("keeps the order of writes for an address, and retries a failed write with the next check", async () => {
  let fail = false;
  const written: string[] = [];
  const recorder = new HealthRecorder({
    logger: pino({ level: "silent" }),
    write: async (batch) => {
      await sleep(50);
      if (fail) throw new Error("database is locked");
      written.push(...batch.map(({ observation }) => observation.state));
      return batch.map(() => true);
    },
  });
  void recorder.observe(A, observation("down", null));
  await recorder.observe(A, observation("up", 5));
  expect(written).toEqual(["down", "up"]);

  fail = true;
  await recorder.observe(A, observation("down", null));
  fail = false;
  await recorder.observe(A, observation("down", null));
  await recorder.observe(A, observation("down", null));
  expect(written).toEqual(["down", "up", "down"]);
});

it("writes the refreshes of many upstreams together, each with what it observed", async () => {
  const batches: number[] = [];
  const recorder = new HealthRecorder({
    logger: pino({ level: "silent" }),
    writeIntervalMs: 0,
    write: async (batch) => {
      batches.push(batch.length);
      return recordHealthBatch(batch);
    },
  });
  const addresses = Array.from({ length: 600 }, (_, index) => `upstream-${index}`);
  await Promise.all(addresses.map((address) => recorder.observe(address, observation("up", 1))));
  expect(batches).toEqual([600]);

  batches.length = 0;
  const refreshed = await Promise.all(addresses.map((address, index) => recorder.observe(address, observation("up", index))));
  expect(refreshed.every((changed) => changed === false)).toBe(true);
  expect(batches).toEqual([600]);
  const rows = await db().upstreamHealth.findMany({ where: { upstreamId: { in: ["upstream-0", "upstream-599"] } }, orderBy: { latencyMs: "asc" } });
  expect(rows.map((row) => [row.upstreamId, row.latencyMs])).toEqual([
    ["upstream-0", 0],
    ["upstream-599", 599],
  ]);
  expect(await db().upstreamHealthEvent.count()).toBe(600);
});
