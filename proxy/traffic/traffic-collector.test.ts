import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "@/lib/traffic/latency-histogram";
import type { TopCounts, TrafficDelta } from "@/lib/traffic/traffic-delta";
import { COLLECTOR_TOP_CAPACITY, TrafficCollector } from "./traffic-collector";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const logger = pino({ level: "silent" });

function delta(siteId: string, minute: number, requests: number, latencies: number[] = [], top?: Partial<TopCounts>): TrafficDelta {
  const histogram = new LatencyHistogram();
  for (const ms of latencies) histogram.record(ms);
  return {
    siteId,
    minute,
    requests,
    status2xx: requests,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    bytesIn: requests * 10,
    bytesOut: requests * 100,
    bytesSavedCompression: 0,
    cacheHits: 0,
    cacheMisses: 0,
    bytesSavedCache: 0,
    connections: 0,
    connectionMs: 0,
    latency: histogram.toSparse(),
    top: { paths: {}, clientIps: {}, statuses: { "200": requests }, ...top },
  };
}

/** A database stand-in that records batches and fails when told to. */
function recordingWriter() {
  const batches: TrafficDelta[][] = [];
  let failures = 0;
  return {
    batches,
    failNext(times: number) {
      failures = times;
    },
    write: async (deltas: TrafficDelta[]) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error("database is locked");
      }
      batches.push(deltas);
    },
  };
}

describe("TrafficCollector", () => {
  it("merges deltas from several workers into one per (site, minute) and writes one batch", async () => {
    const writer = recordingWriter();
    const collector = new TrafficCollector({ write: writer.write, rollUp: async () => undefined, logger, clock: () => T0 });
    collector.add([delta("a", T0, 3, [1, 2, 3]), delta("b", T0, 1, [10])]); // worker 1
    collector.add([delta("a", T0, 2, [4, 5]), delta("a", T0 + MINUTE, 1, [6])]); // worker 2
    collector.add([delta("a", T0, 5, [100])]); // worker 3
    expect(collector.pendingCount).toBe(3);
    await collector.flush();
    expect(writer.batches).toHaveLength(1);
    const rows = [...writer.batches[0]!].sort((x, y) => x.siteId.localeCompare(y.siteId) || x.minute - y.minute);
    expect(rows.map((r) => [r.siteId, r.minute, r.requests, r.bytesIn, r.bytesOut])).toEqual([
      ["a", T0, 10, 100, 1000],
      ["a", T0 + MINUTE, 1, 10, 100],
      ["b", T0, 1, 10, 100],
    ]);
    expect(LatencyHistogram.fromSparse(rows[0]!.latency).count).toBe(6);
    expect(collector.pendingCount).toBe(0);
    await collector.flush();
    expect(writer.batches).toHaveLength(1); // nothing pending: nothing written
  });

  it("sums every worker's cache hits, misses and bytes saved per (site, minute)", async () => {
    const writer = recordingWriter();
    const collector = new TrafficCollector({ write: writer.write, rollUp: async () => undefined, logger, clock: () => T0 });
    const cached = (siteId: string, hits: number, misses: number, bytesSavedCache: number) => ({
      ...delta(siteId, T0, hits + misses),
      cacheHits: hits,
      cacheMisses: misses,
      bytesSavedCache,
      bytesSavedCompression: 10,
    });
    collector.add([cached("a", 3, 1, 3000), cached("b", 0, 2, 0)]); // worker 1
    collector.add([cached("a", 1, 4, 500)]); // worker 2
    await collector.flush();
    const rows = [...writer.batches[0]!].sort((x, y) => x.siteId.localeCompare(y.siteId));
    expect(rows.map((r) => [r.siteId, r.cacheHits, r.cacheMisses, r.bytesSavedCache, r.bytesSavedCompression])).toEqual([
      ["a", 4, 5, 3500, 20],
      ["b", 0, 2, 0, 10],
    ]);
  });

  it("keeps the deltas of a failed write and retries them, merged with what came since", async () => {
    const writer = recordingWriter();
    const collector = new TrafficCollector({ write: writer.write, rollUp: async () => undefined, logger, clock: () => T0 });
    collector.add([delta("a", T0, 3, [1])]);
    writer.failNext(1);
    await collector.flush();
    expect(writer.batches).toHaveLength(0);
    expect(collector.pendingCount).toBe(1);
    collector.add([delta("a", T0, 2, [2])]);
    await collector.flush();
    expect(writer.batches).toHaveLength(1);
    expect(writer.batches[0]).toEqual([expect.objectContaining({ siteId: "a", minute: T0, requests: 5 })]);
    expect(LatencyHistogram.fromSparse(writer.batches[0]![0]!.latency).count).toBe(2);
  });

  it("merges deltas that arrive while a write is under way into the retry", async () => {
    let release!: () => void;
    let calls = 0;
    const written: TrafficDelta[][] = [];
    const collector = new TrafficCollector({
      write: (deltas) => {
        calls += 1;
        if (calls === 1) return new Promise((_, reject) => (release = () => reject(new Error("busy"))));
        written.push(deltas);
        return Promise.resolve();
      },
      rollUp: async () => undefined,
      logger,
      clock: () => T0,
    });
    collector.add([delta("a", T0, 1)]);
    const first = collector.flush();
    collector.add([delta("a", T0, 4), delta("b", T0, 1)]);
    release();
    await first;
    expect(collector.pendingCount).toBe(2);
    await collector.flush();
    expect(written[0]!.map((d) => [d.siteId, d.requests]).sort()).toEqual([
      ["a", 5],
      ["b", 1],
    ]);
  });

  it("drops minutes beyond the backlog limit while writes keep failing", async () => {
    const writer = recordingWriter();
    let now = T0;
    const collector = new TrafficCollector({ write: writer.write, rollUp: async () => undefined, logger, clock: () => now, maxBacklogMinutes: 60 });
    collector.add([delta("a", T0, 1)]);
    writer.failNext(100);
    for (let minute = 1; minute <= 90; minute++) {
      now = T0 + minute * MINUTE;
      collector.add([delta("a", now, 1)]);
      await collector.flush();
    }
    // Minutes 30..90 are kept (60 minutes back from now, and the current one).
    expect(collector.pendingCount).toBeLessThanOrEqual(61);
    writer.failNext(0);
    await collector.flush();
    const minutes = writer.batches[0]!.map((d) => d.minute).sort((x, y) => x - y);
    expect(minutes[0]).toBe(T0 + 30 * MINUTE);
    expect(minutes.at(-1)).toBe(T0 + 90 * MINUTE);
  });

  it("rolls up at start and writes what is left on stop", async () => {
    const writer = recordingWriter();
    let rollUps = 0;
    const collector = new TrafficCollector({
      write: writer.write,
      rollUp: async () => {
        rollUps += 1;
      },
      logger,
      writeMs: 60_000,
    });
    collector.start();
    collector.add([delta("a", T0, 2)]);
    await collector.stop();
    expect(rollUps).toBe(1);
    expect(writer.batches).toEqual([[expect.objectContaining({ siteId: "a", requests: 2 })]]);
  });

  it("survives a failing rollup", async () => {
    const collector = new TrafficCollector({
      write: async () => undefined,
      rollUp: () => Promise.reject(new Error("disk full")),
      logger,
    });
    await expect(collector.rollUpNow()).resolves.toBeUndefined();
  });

  it("sums the top tables of every worker per (site, minute), largest first", async () => {
    const writer = recordingWriter();
    const collector = new TrafficCollector({ write: writer.write, rollUp: async () => undefined, logger, clock: () => T0 });
    collector.add([delta("a", T0, 4, [], { paths: { "/": 3, "/login": 1 }, clientIps: { "10.0.0.1": 4 } })]);
    collector.add([
      delta("a", T0, 5, [], { paths: { "/login": 4, "/x": 1 }, clientIps: { "10.0.0.2": 5 }, statuses: { "200": 3, "500": 2 } }),
      delta("b", T0, 1, [], { paths: { "/b": 1 } }),
    ]);
    await collector.flush();
    const rows = [...writer.batches[0]!].sort((x, y) => x.siteId.localeCompare(y.siteId));
    expect(rows.map((row) => row.top)).toEqual([
      { paths: { "/login": 5, "/": 3, "/x": 1 }, clientIps: { "10.0.0.2": 5, "10.0.0.1": 4 }, statuses: { "200": 7, "500": 2 } },
      { paths: { "/b": 1 }, clientIps: {}, statuses: { "200": 1 } },
    ]);
    expect(Object.keys(rows[0]!.top.paths)).toEqual(["/login", "/", "/x"]);
  });

  it("keeps the top tables of a failed write and merges them into the retry", async () => {
    const writer = recordingWriter();
    const collector = new TrafficCollector({ write: writer.write, rollUp: async () => undefined, logger, clock: () => T0 });
    collector.add([delta("a", T0, 2, [], { paths: { "/a": 2 } })]);
    writer.failNext(1);
    const failing = collector.flush();
    collector.add([delta("a", T0, 3, [], { paths: { "/a": 1, "/b": 2 } })]); // arrives while the write fails
    await failing;
    await collector.flush();
    expect(writer.batches[0]![0]!.top.paths).toEqual({ "/a": 3, "/b": 2 });
  });

  it("holds at most its capacity of keys per (site, minute), however many workers send different ones", async () => {
    const writer = recordingWriter();
    const collector = new TrafficCollector({ write: writer.write, rollUp: async () => undefined, logger, clock: () => T0 });
    for (let worker = 0; worker < 20; worker++) {
      const paths = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`/w${worker}/p${i}`, 1]));
      collector.add([delta("a", T0, 65, [], { paths: { ...paths, "/everywhere": 10 } })]);
    }
    await collector.flush();
    const { paths } = writer.batches[0]![0]!.top;
    expect(Object.keys(paths).length).toBeLessThanOrEqual(COLLECTOR_TOP_CAPACITY);
    expect(Object.keys(paths)[0]).toBe("/everywhere");
    expect(paths["/everywhere"]).toBeLessThanOrEqual(200);
    expect(paths["/everywhere"]).toBeGreaterThanOrEqual(200 - (20 * 74) / COLLECTOR_TOP_CAPACITY);
  });
});
