import { describe, expect, it } from "vitest";
import { pickCounts, pickSequence, skipping, upstreams } from "@/test-support/selection";
import { LeastConnections } from "./least-connections";

const load = (counts: Record<string, number>) => (id: string) => counts[id] ?? 0;

describe("LeastConnections", () => {
  it.each([
    { inFlight: { a: 5, b: 0, c: 3 }, expected: "b" },
    { inFlight: { a: 0, b: 4, c: 3 }, expected: "a" },
    { inFlight: { a: 9, b: 4, c: 3 }, expected: "c" },
    { inFlight: { a: 2, b: 1, c: 1 }, skip: ["b", "c"], expected: "a" },
    { inFlight: { a: 2, b: 1, c: 7 }, skip: ["b"], expected: "a" },
  ])("in flight $inFlight, skip $skip -> $expected", ({ inFlight, skip, expected }) => {
    const picks = pickSequence(new LeastConnections(), upstreams(1, 1, 1), 6, {
      inFlight: load(inFlight),
      skip: skipping(...(skip ?? [])),
    });
    expect(picks).toBe(expected.repeat(6));
  });

  it("prefers the idle upstream while the others are busy, as requests start and finish", () => {
    const policy = new LeastConnections();
    const list = upstreams(1, 1, 1);
    const inFlight: Record<string, number> = { a: 0, b: 0, c: 0 };
    // Three long requests: one lands on each upstream.
    for (let i = 0; i < 3; i++) {
      const id = policy.pick(list, { inFlight: load(inFlight) })!.id;
      inFlight[id] = (inFlight[id] ?? 0) + 1;
    }
    expect(inFlight).toEqual({ a: 1, b: 1, c: 1 });
    // b finishes: every new request goes to b until it is as busy as the others.
    inFlight.b = 0;
    expect(policy.pick(list, { inFlight: load(inFlight) })!.id).toBe("b");
  });

  it("takes turns among equally idle upstreams", () => {
    expect(pickSequence(new LeastConnections(), upstreams(1, 1, 1), 6, { inFlight: () => 0 })).toBe("abcabc");
    expect(pickCounts(new LeastConnections(), upstreams(1, 1, 1, 1), 400, { inFlight: () => 2 })).toEqual({
      a: 100,
      b: 100,
      c: 100,
      d: 100,
    });
  });

  it("returns null when every upstream is skipped", () => {
    expect(new LeastConnections().pick(upstreams(1, 1), { skip: skipping("a", "b") })).toBeNull();
    expect(new LeastConnections().pick([], {})).toBeNull();
  });
});
