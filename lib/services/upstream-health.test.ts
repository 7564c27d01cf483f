import { afterEach, beforeEach, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { createSite, getSite } from "./sites";
import { forgetUnusedUpstreams, healthHistory, lastKnownStates, pruneHealthHistory, recordHealth, recordHealthBatch } from "./upstream-health";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
});
afterEach(() => cleanup());

const HOUR = 60 * 60 * 1000;
const start = new Date("2026-11-20T00:00:00Z");
const at = (hours: number) => new Date(start.getTime() + hours * HOUR);
/** Health is recorded per site's upstream, by its id. */
let upstreamId = "upstream-1";
const observe = (state: "up" | "down", hours: number, latencyMs: number | null = 12) =>
  recordHealth(upstreamId, { state, checkedAt: at(hours), latencyMs, message: state === "down" ? "connection refused" : null });

it("records the current state on the site's upstream and appends only changes to the timeline", async () => {
  const site = await createSite({ name: "App", hostnames: ["app.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] });
  expect(site.upstreams[0]?.health).toEqual({ state: "unknown", checkedAt: null, latencyMs: null, message: null });
  upstreamId = site.upstreams[0]!.id;

  expect(await observe("up", 0)).toBe(true);
  expect(await observe("up", 1)).toBe(false);
  expect(await observe("down", 2, null)).toBe(true);
  expect((await getSite(site.id)).upstreams[0]?.health).toEqual({
    state: "down",
    checkedAt: at(2).toISOString(),
    latencyMs: null,
    message: "connection refused",
  });
  expect(await db().upstreamHealthEvent.count()).toBe(2);
});

it("computes uptime over the last 24 hours from the changes", async () => {
  await observe("up", 0);
  await observe("down", 30); // up for the first 6 h of the window [24 h, 48 h]
  await observe("up", 36); // down 6 h, then up 12 h
  const history = await healthHistory(upstreamId, at(48));
  expect(history.uptime).toBeCloseTo(18 / 24, 5);
  expect(history.changes.map((change) => change.state)).toEqual(["down", "up"]);
  expect((await healthHistory("http://never.checked", at(48))).uptime).toBeNull();
});

it("keeps history bounded: older than 7 days goes, and unused addresses are forgotten", async () => {
  await observe("up", 0);
  await observe("down", 1);
  await observe("up", 24 * 8);
  await pruneHealthHistory(at(24 * 8));
  expect(await db().upstreamHealthEvent.count()).toBe(1);

  // A server steady for longer than the window keeps its latest change, so its uptime is known.
  await pruneHealthHistory(at(24 * 30));
  expect((await healthHistory(upstreamId, at(24 * 30))).uptime).toBe(1);
  await forgetUnusedUpstreams([]);
  expect(await db().upstreamHealth.count()).toBe(0);
});

it("keeps the health of a stream's upstreams while the stream exists", async () => {
  const stream = await db().stream.create({
    data: { name: "Mail", protocol: "tcp", listenPort: 2525, upstreams: { create: [{ url: "tcp://127.0.0.1:25", position: 0 }] } },
    include: { upstreams: true },
  });
  upstreamId = stream.upstreams[0]!.id;
  await observe("up", 0);
  await forgetUnusedUpstreams([]);
  expect(await db().upstreamHealth.count()).toBe(1);
  await db().stream.delete({ where: { id: stream.id } });
  await forgetUnusedUpstreams([]);
  expect(await db().upstreamHealth.count()).toBe(0);
});

it("refreshes the rows of many upstreams that share one probe's result, in parts SQLite accepts", async () => {
  const ids = Array.from({ length: 1_200 }, (_, index) => `shared-${index}`);
  const first = { state: "up" as const, checkedAt: new Date(1_000), latencyMs: 4, message: null };
  expect(new Set(await recordHealthBatch(ids.map((upstreamId) => ({ upstreamId, observation: first }))))).toEqual(new Set([true]));
  const refresh = { ...first, checkedAt: new Date(2_000), latencyMs: 9 };
  const down = { state: "down" as const, checkedAt: new Date(2_000), latencyMs: null, message: "Connection refused" };
  const batch = ids.map((upstreamId, index) => ({ upstreamId, observation: index === 7 ? down : refresh }));
  const changed = await recordHealthBatch(batch);
  expect(changed.filter(Boolean)).toHaveLength(1);
  expect(changed[7]).toBe(true);
  const rows = await db().upstreamHealth.findMany({ where: { latencyMs: 9, checkedAt: new Date(2_000), changedAt: new Date(1_000) } });
  expect(rows).toHaveLength(1_199);
  expect(await db().upstreamHealth.findUniqueOrThrow({ where: { upstreamId: "shared-7" } })).toMatchObject({
    state: "down",
    changedAt: new Date(2_000),
  });
  expect(await db().upstreamHealthEvent.count()).toBe(1_201);
});

it("remembers the last verdict of every upstream checked, a route's too, for checks to resume from", async () => {
  const site = await createSite({
    name: "App",
    hostnames: ["app.example.com"],
    upstreams: [{ url: "http://10.0.0.5:8080" }, { url: "http://10.0.0.6:8080" }],
    routes: [{ pathPrefix: "/api", upstreams: [{ url: "http://10.0.0.7:8080" }] }],
  });
  const [own, unchecked] = site.upstreams;
  const routed = site.routes[0]!.upstreams![0]!;
  await recordHealth(own!.id, { state: "up", checkedAt: at(0), latencyMs: 3, message: null });
  await recordHealth(routed.id!, { state: "down", checkedAt: at(0), latencyMs: null, message: "connection refused" });
  expect(await lastKnownStates()).toEqual(
    new Map([
      [own!.id, "up"],
      [routed.id!, "down"],
    ]),
  );
  expect((await lastKnownStates()).has(unchecked!.id)).toBe(false);
});
