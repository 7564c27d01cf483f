import { describe, expect, it } from "vitest";
import { pickCounts, pickSequence, skipping, upstreams } from "@/test-support/selection";
import { RoundRobin } from "./round-robin";

describe("RoundRobin", () => {
  it.each([
    { weights: [1], picks: 3, expected: "aaa" },
    { weights: [1, 1], picks: 4, expected: "abab" },
    { weights: [1, 1, 1], picks: 6, expected: "abcabc" },
    // Weights are for the "weighted" policy; plain round robin ignores them.
    { weights: [5, 1, 1], picks: 6, expected: "abcabc" },
    { weights: [1, 3], picks: 4, expected: "abab" },
  ])("weights $weights -> $expected", ({ weights, picks, expected }) => {
    expect(pickSequence(new RoundRobin(), upstreams(...weights), picks)).toBe(expected);
  });

  it.each([
    { skip: ["b"], expected: "acacac" },
    { skip: ["a"], expected: "bcbcbc" },
    { skip: ["a", "c"], expected: "bbbbbb" },
    { skip: ["a", "b", "c"], expected: "------" },
  ])("passes a skipped upstream's turn on: skip $skip -> $expected", ({ skip, expected }) => {
    expect(pickSequence(new RoundRobin(), upstreams(1, 1, 1), 6, { skip: skipping(...skip) })).toBe(expected);
  });

  it("shares evenly among the healthy ones over many picks", () => {
    expect(pickCounts(new RoundRobin(), upstreams(1, 1, 1, 1), 1000, { skip: skipping("c") })).toEqual({
      a: 334,
      b: 333,
      d: 333,
    });
  });

  it("keeps going when the upstream list changes", () => {
    const policy = new RoundRobin();
    pickSequence(policy, upstreams(1, 1, 1), 2);
    expect(pickSequence(policy, upstreams(1, 1), 2).split("").sort().join("")).toBe("ab");
  });

  it("returns null for an empty list", () => {
    expect(new RoundRobin().pick([], {})).toBeNull();
  });
});
