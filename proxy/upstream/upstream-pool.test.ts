import { describe, expect, it } from "vitest";
import { upstreams } from "@/test-support/selection";
import { createSelectionPolicy, type SelectableUpstream } from "./selection-policy";
import { UpstreamPool, type PoolSite } from "./upstream-pool";

const [A, B, C] = upstreams(1, 1, 1) as [SelectableUpstream, SelectableUpstream, SelectableUpstream];

function site(list: SelectableUpstream[], passiveHealthCountsServerErrors = false): PoolSite {
  return { upstreams: list, policy: createSelectionPolicy("failover"), passiveHealthCountsServerErrors };
}

function poolWithClock(passive = { failureThreshold: 3, coolDownMs: 1_000 }) {
  let now = 1_000_000;
  const benched: Array<[string, string]> = [];
  const pool = new UpstreamPool({ passive, now: () => now, onBenched: (upstream, reason) => benched.push([upstream.id, reason]) });
  return { pool, benched, advance: (ms: number) => (now += ms) };
}

const refused = (pool: UpstreamPool, where: PoolSite, upstream: SelectableUpstream, times = 1) => {
  for (let i = 0; i < times; i++) pool.recordFailure(where, upstream, "connection refused");
};

describe("UpstreamPool", () => {
  it("counts every upstream as available until something says otherwise", () => {
    expect(new UpstreamPool().isAvailable(A.id)).toBe(true);
  });

  it("takes the active checks' verdicts by upstream id, the whole map each time", () => {
    const pool = new UpstreamPool();
    pool.setActiveHealth({ [A.id]: "down", [B.id]: "up" });
    expect([pool.isAvailable(A.id), pool.isAvailable(B.id)]).toEqual([false, true]);
    pool.setActiveHealth({ [B.id]: "down" }); // A not listed any more: up
    expect([pool.isAvailable(A.id), pool.isAvailable(B.id)]).toEqual([true, false]);
  });

  it("benches an upstream after N failures in a row while another is usable, tells once, and tries it again after the cool-down", () => {
    const { pool, benched, advance } = poolWithClock();
    const two = site([A, B]);
    refused(pool, two, A, 2);
    expect(pool.isAvailable(A.id)).toBe(true);
    pool.recordFailure(two, A, "no answer within 60 s");
    expect(pool.isAvailable(A.id)).toBe(false);
    expect(benched).toEqual([[A.id, "3 failed requests in a row (the last: no answer within 60 s)"]]);
    expect(pool.pick(two)).toBe(B);

    refused(pool, two, A); // a request that was already in flight
    expect(benched).toHaveLength(1);

    advance(999);
    expect(pool.isAvailable(A.id)).toBe(false);
    advance(1);
    expect(pool.isAvailable(A.id)).toBe(true);
  });

  it("never benches a site's last usable upstream: the streak is kept, and it keeps getting requests", () => {
    const { pool, benched } = poolWithClock();
    const one = site([A]);
    refused(pool, one, A, 10);
    expect(benched).toEqual([]);
    expect(pool.pick(one)).toBe(A);

    // B down by active checks: A is the last usable one of this site too.
    const two = site([A, B]);
    pool.setActiveHealth({ [B.id]: "down" });
    refused(pool, two, A, 10);
    expect(pool.isAvailable(A.id)).toBe(true);
    // Once B is back, A's recorded streak benches it at its next failure.
    pool.setActiveHealth({});
    refused(pool, two, A);
    expect(pool.isAvailable(A.id)).toBe(false);
  });

  it("tries benched upstreams anyway when nothing else is left, but never one active checks call down", () => {
    const { pool } = poolWithClock({ failureThreshold: 1, coolDownMs: 60_000 });
    const three = site([A, B, C]);
    refused(pool, three, A);
    refused(pool, three, B);
    pool.setActiveHealth({ [C.id]: "down" });
    expect([A, B, C].map((u) => pool.isAvailable(u.id))).toEqual([false, false, false]);
    expect(pool.pick(three)).toBe(A);
    expect(pool.pick(three, { exclude: A.id })).toBe(B);

    const onlyDown = site([C]);
    expect(pool.pick(onlyDown)).toBeNull();
  });

  it("counts 5xx answers only where the site opts in; any other answer clears the streak", () => {
    const { pool, benched } = poolWithClock({ failureThreshold: 2, coolDownMs: 60_000 });
    const plain = site([A, B]);
    for (let i = 0; i < 5; i++) pool.recordAnswer(plain, A, 503);
    expect(pool.isAvailable(A.id)).toBe(true);

    const optedIn = site([A, B], true);
    pool.recordAnswer(optedIn, A, 502);
    pool.recordAnswer(optedIn, A, 200);
    pool.recordAnswer(optedIn, A, 500);
    expect(pool.isAvailable(A.id)).toBe(true);
    pool.recordAnswer(optedIn, A, 504);
    expect(pool.isAvailable(A.id)).toBe(false);
    expect(benched).toEqual([[A.id, "2 failed requests in a row (the last: answered HTTP 504)"]]);
  });

  it("ends a passive bench when the active checks see the upstream come back up", () => {
    const { pool } = poolWithClock();
    pool.setActiveHealth({ [A.id]: "down" });
    refused(pool, site([A, B]), A, 3);
    pool.setActiveHealth({ [A.id]: "up" });
    expect(pool.isAvailable(A.id)).toBe(true);
  });

  it("resets the streak on a success", () => {
    const { pool, benched } = poolWithClock();
    for (let i = 0; i < 10; i++) {
      refused(pool, site([A, B]), A, 2);
      pool.recordSuccess(A.id);
    }
    expect(pool.isAvailable(A.id)).toBe(true);
    expect(benched).toEqual([]);
  });

  it("keeps an upstream that failed its trial after the cool-down on the bench straight away", () => {
    const { pool, benched, advance } = poolWithClock();
    const two = site([A, B]);
    refused(pool, two, A, 3);
    advance(1_000);
    refused(pool, two, A);
    expect(pool.isAvailable(A.id)).toBe(false);
    expect(benched).toHaveLength(2);

    advance(1_000);
    pool.recordSuccess(A.id);
    refused(pool, two, A);
    expect(pool.isAvailable(A.id)).toBe(true); // recovered: a full streak is needed again
  });

  it("counts requests in flight per upstream", () => {
    const pool = new UpstreamPool();
    pool.acquire(A.id);
    pool.acquire(A.id);
    pool.acquire(B.id);
    pool.release(A.id);
    expect([pool.inFlight(A.id), pool.inFlight(B.id)]).toEqual([1, 1]);
    pool.release(B.id);
    pool.release(B.id); // never below zero
    expect(pool.inFlight(B.id)).toBe(0);
  });

  it("forgets upstreams no site uses, but not while requests to them are in flight", () => {
    const { pool } = poolWithClock({ failureThreshold: 1, coolDownMs: 60_000 });
    const three = site([A, B, C]);
    refused(pool, three, A);
    refused(pool, three, B);
    pool.acquire(B.id);
    pool.retainOnly(new Set());
    expect(pool.isAvailable(A.id)).toBe(true);
    expect(pool.isAvailable(B.id)).toBe(false);
    expect(pool.inFlight(B.id)).toBe(1);
  });
});
