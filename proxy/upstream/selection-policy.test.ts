import { describe, expect, it } from "vitest";
import { loadBalancingPolicies } from "@/lib/schemas/upstream-health";
import { pickCounts, skipping, upstreams } from "@/test-support/selection";
import { Failover } from "./failover";
import { IpHash } from "./ip-hash";
import { LeastConnections } from "./least-connections";
import { RoundRobin } from "./round-robin";
import { createSelectionPolicy } from "./selection-policy";
import { WeightedRoundRobin } from "./weighted-round-robin";

describe("createSelectionPolicy", () => {
  it.each([
    ["round_robin", RoundRobin],
    ["weighted", WeightedRoundRobin],
    ["least_conn", LeastConnections],
    ["ip_hash", IpHash],
    ["failover", Failover],
  ] as const)("builds %s", (name, type) => {
    expect(createSelectionPolicy(name)).toBeInstanceOf(type);
  });

  it("builds plain round robin by default", () => {
    expect(createSelectionPolicy()).toBeInstanceOf(RoundRobin);
  });
});

describe.each(loadBalancingPolicies)("every policy skips unhealthy upstreams: %s", (name) => {
  const list = upstreams(1, 2, 3, 1);
  const varied = (i: number) => ({ clientAddress: `192.0.2.${i % 250}`, inFlight: () => i % 3 });

  it("never picks a skipped upstream", () => {
    const counts = pickCounts(createSelectionPolicy(name), list, 500, (i) => ({ ...varied(i), skip: skipping("a", "c") }));
    expect(Object.keys(counts).sort()).toEqual(name === "failover" ? ["b"] : ["b", "d"]);
  });

  it("returns null when all are skipped, and picks again once they are back", () => {
    const policy = createSelectionPolicy(name);
    expect(policy.pick(list, { ...varied(1), skip: skipping("a", "b", "c", "d") })).toBeNull();
    expect(policy.pick(list, varied(1))).not.toBeNull();
  });
});
