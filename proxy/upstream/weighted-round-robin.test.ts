import { describe, expect, it } from "vitest";
import { pickCounts, pickSequence, skipping, upstreams } from "@/test-support/selection";
import { WeightedRoundRobin } from "./weighted-round-robin";

describe("WeightedRoundRobin", () => {
  it.each([
    { weights: [1], picks: 3, expected: "aaa" },
    { weights: [1, 1], picks: 4, expected: "abab" },
    { weights: [1, 1, 1], picks: 6, expected: "abcabc" },
    { weights: [2, 1], picks: 6, expected: "abaaba" },
    { weights: [5, 1, 1], picks: 7, expected: "aabacaa" },
    { weights: [1, 3], picks: 8, expected: "babbbabb" },
  ])("weights $weights -> $expected (smooth: the heavy one is spread out)", ({ weights, picks, expected }) => {
    expect(pickSequence(new WeightedRoundRobin(), upstreams(...weights), picks)).toBe(expected);
  });

  it("sends weights 1:3 their shares within 2% over 4000 picks", () => {
    const counts = pickCounts(new WeightedRoundRobin(), upstreams(1, 3), 4000);
    expect(Math.abs((counts.a ?? 0) / 4000 - 0.25)).toBeLessThanOrEqual(0.02);
    expect(Math.abs((counts.b ?? 0) / 4000 - 0.75)).toBeLessThanOrEqual(0.02);
  });

  it("sends each upstream its weighted share over many picks", () => {
    expect(pickCounts(new WeightedRoundRobin(), upstreams(3, 2, 5), 1000)).toEqual({ a: 300, b: 200, c: 500 });
  });

  it("shares a skipped upstream's turns among the others by their weights", () => {
    expect(pickCounts(new WeightedRoundRobin(), upstreams(3, 2, 5), 1000, { skip: skipping("c") })).toEqual({ a: 600, b: 400 });
    expect(pickSequence(new WeightedRoundRobin(), upstreams(1, 1), 2, { skip: skipping("a", "b") })).toBe("--");
  });

  it("gives an upstream that comes back its share again", () => {
    const policy = new WeightedRoundRobin();
    const list = upstreams(1, 1);
    pickSequence(policy, list, 5, { skip: skipping("a") });
    expect(pickCounts(policy, list, 100)).toEqual({ a: 50, b: 50 });
  });

  it("keeps going when the upstream list changes", () => {
    const policy = new WeightedRoundRobin();
    pickSequence(policy, upstreams(1, 1, 1), 1);
    expect(pickSequence(policy, upstreams(1, 1), 2).split("").sort().join("")).toBe("ab");
  });

  it("returns null for an empty list", () => {
    expect(new WeightedRoundRobin().pick([], {})).toBeNull();
  });
});
