import { describe, expect, it } from "vitest";
import { pickSequence, skipping, upstreams } from "@/test-support/selection";
import { Failover } from "./failover";

describe("Failover", () => {
  it.each([
    { skip: [], expected: "aaaa" },
    { skip: ["a"], expected: "bbbb" },
    { skip: ["a", "b"], expected: "cccc" },
    { skip: ["b"], expected: "aaaa" },
    { skip: ["a", "b", "c"], expected: "----" },
  ])("skip $skip -> $expected (weights do not matter)", ({ skip, expected }) => {
    expect(pickSequence(new Failover(), upstreams(1, 5, 9), 4, { skip: skipping(...skip) })).toBe(expected);
  });

  it("uses the backup while the first is down and moves back as soon as it recovers", () => {
    const policy = new Failover();
    const list = upstreams(1, 1);
    let down = skipping();
    const ctx = () => ({ skip: down });
    expect(pickSequence(policy, list, 2, ctx)).toBe("aa");
    down = skipping("a");
    expect(pickSequence(policy, list, 2, ctx)).toBe("bb");
    down = skipping();
    expect(pickSequence(policy, list, 2, ctx)).toBe("aa");
  });
});
