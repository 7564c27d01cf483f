import { describe, expect, it } from "vitest";
import { pickCounts, skipping, upstreams } from "@/test-support/selection";
import { IpHash } from "./ip-hash";

const clients = Array.from({ length: 3000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

function assignment(policy: IpHash, list = upstreams(1, 1, 1), skip?: ReadonlySet<string>): Map<string, string> {
  return new Map(clients.map((client) => [client, policy.pick(list, { clientAddress: client, skip })!.id]));
}

describe("IpHash", () => {
  it("sends a client to the same upstream every time, from any worker and after a restart", () => {
    const first = new IpHash();
    const again = new IpHash(); // a fresh object: another worker, a reload, a restart
    for (const client of ["203.0.113.7", "2001:db8::1", "10.0.0.1"]) {
      const picks = new Set(Array.from({ length: 50 }, () => first.pick(upstreams(1, 1, 1), { clientAddress: client })!.id));
      expect(picks.size).toBe(1);
      expect(again.pick(upstreams(1, 1, 1), { clientAddress: client })!.id).toBe([...picks][0]);
    }
  });

  it("spreads many clients evenly across the upstreams", () => {
    const counts = pickCounts(new IpHash(), upstreams(1, 1, 1), clients.length, (i) => ({ clientAddress: clients[i] }));
    for (const id of ["a", "b", "c"]) {
      expect(counts[id]! / clients.length, id).toBeGreaterThan(0.3);
      expect(counts[id]! / clients.length, id).toBeLessThan(0.37);
    }
  });

  it("spreads clients by weight", () => {
    const counts = pickCounts(new IpHash(), upstreams(1, 3), clients.length, (i) => ({ clientAddress: clients[i] }));
    expect(counts.b! / clients.length).toBeGreaterThan(0.71);
    expect(counts.b! / clients.length).toBeLessThan(0.79);
  });

  it("moves only the unhealthy upstream's clients, the same way every time, and moves them back", () => {
    const policy = new IpHash();
    const before = assignment(policy);
    const during = assignment(policy, upstreams(1, 1, 1), skipping("b"));
    const duringAgain = assignment(new IpHash(), upstreams(1, 1, 1), skipping("b"));
    expect(duringAgain).toEqual(during);

    const moved = clients.filter((client) => before.get(client) !== during.get(client));
    expect(moved.every((client) => before.get(client) === "b")).toBe(true);
    expect(moved.length).toBe(clients.filter((client) => before.get(client) === "b").length);
    // b's clients are shared by a and c rather than all piling onto one of them.
    const landedOnA = moved.filter((client) => during.get(client) === "a").length;
    expect(landedOnA / moved.length).toBeGreaterThan(0.4);
    expect(landedOnA / moved.length).toBeLessThan(0.6);

    expect(assignment(policy)).toEqual(before);
  });

  it("returns null when every upstream is skipped", () => {
    expect(new IpHash().pick(upstreams(1, 1), { clientAddress: "10.0.0.1", skip: skipping("a", "b") })).toBeNull();
  });
});
