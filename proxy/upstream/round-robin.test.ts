import { describe, expect, it } from "vitest";
import { RoundRobin } from "./round-robin";
import { createSelectionPolicy } from "./selection-policy";

const ups = (...weights: number[]) => weights.map((weight, i) => ({ id: String.fromCharCode(97 + i), weight }));

function sequence(weights: number[], picks: number): string {
  const policy = new RoundRobin();
  const upstreams = ups(...weights);
  return Array.from({ length: picks }, () => policy.pick(upstreams, {}).id).join("");
}

describe("RoundRobin", () => {
  it.each([
    { weights: [1], picks: 3, expected: "aaa" },
    { weights: [1, 1], picks: 4, expected: "abab" },
    { weights: [1, 1, 1], picks: 6, expected: "abcabc" },
    { weights: [2, 1], picks: 6, expected: "abaaba" },
    { weights: [5, 1, 1], picks: 7, expected: "aabacaa" },
    { weights: [1, 3], picks: 8, expected: "babbbabb" },
  ])("weights $weights -> $expected", ({ weights, picks, expected }) => {
    expect(sequence(weights, picks)).toBe(expected);
  });

  it("sends each upstream its weighted share over many picks", () => {
    const policy = new RoundRobin();
    const upstreams = ups(3, 2, 5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const id = policy.pick(upstreams, {}).id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ a: 300, b: 200, c: 500 });
  });

  it("keeps going when the upstream list changes", () => {
    const policy = new RoundRobin();
    policy.pick(ups(1, 1, 1), {});
    const smaller = ups(1, 1);
    const picked = [policy.pick(smaller, {}).id, policy.pick(smaller, {}).id];
    expect(picked.sort()).toEqual(["a", "b"]);
  });

  it("refuses an empty list rather than returning undefined", () => {
    expect(() => new RoundRobin().pick([], {})).toThrow(/no upstreams/);
  });

  it("is what the default policy factory builds", () => {
    expect(createSelectionPolicy()).toBeInstanceOf(RoundRobin);
  });
});
