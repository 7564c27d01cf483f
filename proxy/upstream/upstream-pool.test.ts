import { describe, expect, it } from "vitest";
import { UpstreamPool } from "./upstream-pool";

const A = "http://10.0.0.1:8080";
const B = "http://10.0.0.2:8080";

function poolWithClock(passive = { failureThreshold: 3, coolDownMs: 1_000 }) {
  let now = 1_000_000;
  const benched: Array<[string, string]> = [];
  const pool = new UpstreamPool({ passive, now: () => now, onBenched: (address, reason) => benched.push([address, reason]) });
  return { pool, benched, advance: (ms: number) => (now += ms) };
}

describe("UpstreamPool", () => {
  it("counts every address as available until something says otherwise", () => {
    expect(new UpstreamPool().isAvailable(A)).toBe(true);
  });

  it("takes the active checks' verdicts, the whole map each time", () => {
    const pool = new UpstreamPool();
    pool.setActiveHealth({ [A]: "down", [B]: "up" });
    expect([pool.isAvailable(A), pool.isAvailable(B)]).toEqual([false, true]);
    pool.setActiveHealth({ [B]: "down" }); // A not listed any more: up
    expect([pool.isAvailable(A), pool.isAvailable(B)]).toEqual([true, false]);
  });

  it("benches an address after N failures in a row, tells once, and tries it again after the cool-down", () => {
    const { pool, benched, advance } = poolWithClock();
    pool.recordFailure(A, "connection refused");
    pool.recordFailure(A, "connection refused");
    expect(pool.isAvailable(A)).toBe(true);
    pool.recordFailure(A, "answered HTTP 503");
    expect(pool.isAvailable(A)).toBe(false);
    expect(benched).toEqual([[A, "3 failed requests in a row (the last: answered HTTP 503)"]]);

    pool.recordFailure(A, "connection refused"); // a request that was already in flight
    expect(benched).toHaveLength(1);
    expect(pool.isAvailable(B)).toBe(true);

    advance(999);
    expect(pool.isAvailable(A)).toBe(false);
    advance(1);
    expect(pool.isAvailable(A)).toBe(true);
  });

  it("ends a passive bench when the active checks see the address come back up", () => {
    const { pool } = poolWithClock();
    pool.setActiveHealth({ [A]: "down" });
    for (let i = 0; i < 3; i++) pool.recordFailure(A, "connection refused");
    pool.setActiveHealth({ [A]: "up" });
    expect(pool.isAvailable(A)).toBe(true);
  });

  it("resets the streak on a success", () => {
    const { pool, benched } = poolWithClock();
    for (let i = 0; i < 10; i++) {
      pool.recordFailure(A, "connection reset");
      pool.recordFailure(A, "connection reset");
      pool.recordSuccess(A);
    }
    expect(pool.isAvailable(A)).toBe(true);
    expect(benched).toEqual([]);
  });

  it("keeps an upstream that failed its trial after the cool-down on the bench straight away", () => {
    const { pool, benched, advance } = poolWithClock();
    for (let i = 0; i < 3; i++) pool.recordFailure(A, "connection refused");
    advance(1_000);
    pool.recordFailure(A, "connection refused");
    expect(pool.isAvailable(A)).toBe(false);
    expect(benched).toHaveLength(2);

    advance(1_000);
    pool.recordSuccess(A);
    pool.recordFailure(A, "connection refused");
    expect(pool.isAvailable(A)).toBe(true); // recovered: a full streak is needed again
  });

  it("counts requests in flight per address", () => {
    const pool = new UpstreamPool();
    pool.acquire(A);
    pool.acquire(A);
    pool.acquire(B);
    pool.release(A);
    expect([pool.inFlight(A), pool.inFlight(B)]).toEqual([1, 1]);
    pool.release(B);
    pool.release(B); // never below zero
    expect(pool.inFlight(B)).toBe(0);
  });

  it("forgets addresses no site uses, but not while requests to them are in flight", () => {
    const { pool } = poolWithClock({ failureThreshold: 1, coolDownMs: 60_000 });
    pool.recordFailure(A, "connection refused");
    pool.recordFailure(B, "connection refused");
    pool.acquire(B);
    pool.retainOnly(new Set());
    expect(pool.isAvailable(A)).toBe(true);
    expect(pool.isAvailable(B)).toBe(false);
    expect(pool.inFlight(B)).toBe(1);
  });
});
