import { describe, expect, it } from "vitest";
import type { TrafficPoint } from "@/lib/traffic/traffic-delta";
import { averageConnectionMs, chartsFor, trafficSubjects } from "./traffic-subjects";

const point = (connections: number, connectionMs: number): TrafficPoint =>
  ({ t: "2026-12-08T00:00:00.000Z", requests: 0, connections, connectionMs }) as TrafficPoint;

describe("trafficSubjects", () => {
  const subjects = trafficSubjects(
    [
      { id: "s1", name: "Blog", tlsMode: "terminate" },
      { id: "s2", name: "Mail", tlsMode: "passthrough" },
    ],
    [{ id: "t1", name: "Postgres" }],
  );

  it("lists sites, then streams, marking those whose connections are counted", () => {
    expect(subjects.map(({ id, kind, connections }) => [id, kind, connections])).toEqual([
      ["s1", "site", false],
      ["s2", "site", true],
      ["t1", "stream", true],
    ]);
  });

  it("shows connection charts for a pass-through site or a stream, request charts for the rest", () => {
    expect(chartsFor(subjects[0], [])).toEqual({ requests: true, connections: false });
    expect(chartsFor(subjects[1], [])).toEqual({ requests: false, connections: true });
    expect(chartsFor(subjects[2], [])).toEqual({ requests: false, connections: true });
  });

  it("adds connection charts to everything only when some connection ended", () => {
    expect(chartsFor(undefined, [point(0, 0)])).toEqual({ requests: true, connections: false });
    expect(chartsFor(undefined, [point(0, 0), point(2, 300)])).toEqual({ requests: true, connections: true });
  });
});

describe("averageConnectionMs", () => {
  it("divides the summed duration by the connections, and leaves gaps where none ended", () => {
    expect(averageConnectionMs([point(4, 1000), point(0, 0), point(1, 250)])).toEqual([250, null, 250]);
  });
});
