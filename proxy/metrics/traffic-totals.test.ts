import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "@/lib/traffic/latency-histogram";
import { LATENCY_BOUNDS_MS } from "@/lib/metrics/proxy-traffic-totals";
import { TrafficTotals, type TrafficTotalsInput } from "./traffic-totals";

function delta(siteId: string, latenciesMs: number[], counts: Partial<TrafficTotalsInput> = {}): TrafficTotalsInput {
  const latency = new LatencyHistogram();
  latenciesMs.forEach((ms) => latency.record(ms));
  return {
    siteId,
    requests: latenciesMs.length,
    status2xx: latenciesMs.length,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    bytesIn: 100,
    bytesOut: 1000,
    latency: latency.toSparse(),
    ...counts,
  };
}

const slot = (bound: number) => LATENCY_BOUNDS_MS.indexOf(bound as (typeof LATENCY_BOUNDS_MS)[number]);

describe("TrafficTotals", () => {
  it("adds up deltas across hand-overs and minutes, per site", () => {
    const totals = new TrafficTotals(1_000);
    totals.add([delta("a", [1, 2]), delta("b", [3])]);
    totals.add([delta("a", [4], { status2xx: 0, status4xx: 1 }), delta("a", [5], { status2xx: 0, status5xx: 1, bytesOut: 5 })]);
    const { startedAt, sites } = totals.snapshot();
    expect(startedAt).toBe(1_000);
    expect(sites.map((site) => site.siteId)).toEqual(["a", "b"]);
    expect(sites[0]).toMatchObject({
      requests: { "2xx": 2, "3xx": 0, "4xx": 1, "5xx": 1, other: 0 },
      bytesIn: 300,
      bytesOut: 2005,
      latency: { count: 4 },
    });
    expect(sites[1]).toMatchObject({ requests: { "2xx": 1 }, bytesIn: 100, latency: { count: 1 } });
  });

  it("counts requests without a status class (websocket 101, no answer) as other", () => {
    const totals = new TrafficTotals();
    totals.add([delta("a", [1, 1, 1], { status2xx: 1 })]);
    expect(totals.snapshot().sites[0]!.requests).toEqual({ "2xx": 1, "3xx": 0, "4xx": 0, "5xx": 0, other: 2 });
  });

  it("folds the log buckets into cumulative le buckets whose end equals the count", () => {
    const totals = new TrafficTotals();
    totals.add([delta("a", [0.3, 4, 7, 40])]);
    totals.add([delta("a", [300, 4000, 60_000])]);
    const { latency } = totals.snapshot().sites[0]!;
    expect(latency.count).toBe(7);
    expect(latency.cumulative).toHaveLength(LATENCY_BOUNDS_MS.length);
    expect(latency.cumulative[slot(5)]).toBe(2); // 0.3, 4
    expect(latency.cumulative[slot(10)]).toBe(3); // + 7
    expect(latency.cumulative[slot(25)]).toBe(3);
    expect(latency.cumulative[slot(50)]).toBe(4); // + 40
    expect(latency.cumulative[slot(500)]).toBe(5); // + 300
    expect(latency.cumulative[slot(5000)]).toBe(6); // + 4000
    expect(latency.cumulative[slot(10000)]).toBe(6); // 60 s is only in +Inf
    for (let index = 1; index < latency.cumulative.length; index++) {
      expect(latency.cumulative[index]!).toBeGreaterThanOrEqual(latency.cumulative[index - 1]!);
    }
    const trueSum = 0.3 + 4 + 7 + 40 + 300 + 4000 + 60_000;
    expect(Math.abs(latency.sumMs - trueSum) / trueSum).toBeLessThan(0.025);
  });

  it("never goes down between reads", () => {
    const totals = new TrafficTotals();
    let previous = totals.snapshot();
    for (let round = 0; round < 5; round++) {
      totals.add([delta("a", [round * 10 + 1])]);
      const next = totals.snapshot();
      const [before, after] = [previous.sites[0], next.sites[0]!];
      if (before) {
        expect(after.requests["2xx"]).toBeGreaterThan(before.requests["2xx"]);
        after.latency.cumulative.forEach((value, index) => expect(value).toBeGreaterThanOrEqual(before.latency.cumulative[index]!));
      }
      previous = next;
    }
  });

  it("ignores bogus bucket indexes instead of counting them anywhere", () => {
    const totals = new TrafficTotals();
    totals.add([{ ...delta("a", []), latency: { [-1]: 5, 99999: 5, 1.5: 5 } }]);
    expect(totals.snapshot().sites[0]!.latency).toMatchObject({ count: 0, sumMs: 0 });
  });

  it("keeps memory bounded: past the cap the site updated longest ago goes", () => {
    const totals = new TrafficTotals(0, 3);
    totals.add([delta("a", [1]), delta("b", [1]), delta("c", [1])]);
    totals.add([delta("a", [1])]); // a is now the most recent
    totals.add([delta("d", [1])]);
    expect(totals.siteCount).toBe(3);
    expect(totals.snapshot().sites.map((site) => site.siteId)).toEqual(["a", "c", "d"]);
  });
});
