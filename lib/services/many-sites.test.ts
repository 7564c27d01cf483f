import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { databasePath } from "../env/paths";
import type { TrafficDelta } from "../traffic/traffic-delta";
import { recordApplied } from "./proxy-state";
import { listSites } from "./sites";
import { addTraffic } from "./traffic";
import { requestSparklines } from "./traffic-sparklines";
import { forgetUnusedUpstreams, pruneHealthHistory, recordHealth } from "./upstream-health";

/**
 * More sites and upstreams than SQLite takes bound values in one statement (999): every service
 * that lists them must still work. Found by the bench's 1,000-site run: the dashboard home was a
 * 500 and the health housekeeping failed.
 */
const SITES = 1_200;
const MINUTE = 60_000;

let cleanup: () => Promise<void>;
let siteIds: string[];
let upstreamIds: string[];
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  // Written straight into the file: 1,200 sites through the services would take a minute.
  siteIds = Array.from({ length: SITES }, (_, index) => `site-${index}`);
  upstreamIds = siteIds.map((id) => `${id}-upstream`);
  const sqlite = new Database(databasePath());
  sqlite.transaction(() => {
    for (const [index, id] of siteIds.entries()) {
      sqlite.prepare(`INSERT INTO "Site" (id, name) VALUES (?, ?)`).run(id, id);
      sqlite.prepare(`INSERT INTO "Hostname" (hostname, siteId, position) VALUES (?, ?, 0)`).run(`${id}.example.com`, id);
      sqlite.prepare(`INSERT INTO "Upstream" (id, siteId, url, position) VALUES (?, ?, ?, 0)`).run(upstreamIds[index], id, "http://127.0.0.1:8080");
    }
  })();
  sqlite.close();
});
afterEach(() => cleanup());

it("lists every site with its upstreams' health", async () => {
  await recordHealth(upstreamIds.at(-1)!, { state: "up", checkedAt: new Date(), latencyMs: 3, message: null });
  const sites = await listSites();
  expect(sites).toHaveLength(SITES);
  expect(sites.find((site) => site.id === siteIds.at(-1))?.upstreams[0]?.health.state).toBe("up");
});

it("counts traffic for every site in one flush and draws every site's sparkline", async () => {
  const now = new Date(Date.UTC(2026, 10, 23, 10, 30, 30));
  const minute = Date.UTC(2026, 10, 23, 10, 30);
  const deltas: TrafficDelta[] = siteIds.map((siteId) => ({
    siteId,
    minute,
    requests: 2,
    status2xx: 2,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    bytesIn: 0,
    bytesOut: 0,
    bytesSavedCompression: 0,
    cacheHits: 0,
    cacheMisses: 0,
    bytesSavedCache: 0,
    connections: 0,
    connectionMs: 0,
    latency: {},
    top: { paths: {}, clientIps: {}, statuses: {} },
  }));
  await addTraffic(deltas);
  const lines = await requestSparklines(siteIds, { now, minutes: 2 });
  expect(lines.size).toBe(SITES);
  expect([...lines.values()].every((line) => line[1] === 2)).toBe(true);
  expect(now.getTime() - minute).toBeLessThan(MINUTE);
});

it("records an apply where every site failed, then one where all applied", async () => {
  await recordApplied({ revision: 5, snapshotHash: "a", siteErrors: Object.fromEntries(siteIds.map((id) => [id, "broken"])) });
  expect(await db().site.count({ where: { applyError: "broken" } })).toBe(SITES);
  await recordApplied({ revision: 6, snapshotHash: "b", siteErrors: {} });
  expect(await db().site.count({ where: { applyError: null, appliedRevision: 6 } })).toBe(SITES);
});

it("keeps each upstream's latest health change and forgets only the upstreams no site has", async () => {
  const old = new Date(Date.UTC(2026, 0, 1));
  for (const upstreamId of [...upstreamIds, "gone"]) {
    await db().upstreamHealthEvent.createMany({
      data: [
        { upstreamId, state: "down", at: old },
        { upstreamId, state: "up", at: new Date(old.getTime() + MINUTE) },
      ],
    });
  }
  await pruneHealthHistory(new Date(Date.UTC(2026, 5, 1)));
  expect(await db().upstreamHealthEvent.count({ where: { state: "up" } })).toBe(SITES + 1);
  expect(await db().upstreamHealthEvent.count({ where: { state: "down" } })).toBe(0);

  await forgetUnusedUpstreams(upstreamIds);
  expect(await db().upstreamHealthEvent.count()).toBe(SITES);
  expect(await db().upstreamHealthEvent.count({ where: { upstreamId: "gone" } })).toBe(0);
});
