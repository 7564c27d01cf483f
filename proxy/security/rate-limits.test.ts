import { describe, expect, it } from "vitest";
import { ConnectionLimiter } from "./connection-limiter";
import { RequestRateLimiter } from "./request-rate-limiter";

function clock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("RequestRateLimiter", () => {
  it("lets a burst through, then refuses with the seconds until the next token", () => {
    const time = clock();
    const limiter = new RequestRateLimiter({ requestsPerSecond: 2, burst: 5 }, { now: time.now });
    const decisions = Array.from({ length: 7 }, () => limiter.take("203.0.113.9"));
    expect(decisions.slice(0, 5).every((d) => d.allowed)).toBe(true);
    expect(decisions[5]).toEqual({ allowed: false, retryAfterSeconds: 1, retryAfterMs: 500 });
    time.advance(499);
    expect(limiter.take("203.0.113.9").allowed).toBe(false);
    time.advance(1);
    expect(limiter.take("203.0.113.9").allowed).toBe(true);
  });

  it("holds the rate over time", () => {
    const time = clock();
    const limiter = new RequestRateLimiter({ requestsPerSecond: 10, burst: 1 }, { now: time.now });
    let allowed = 0;
    for (let ms = 0; ms < 10_000; ms += 5) {
      if (limiter.take("a").allowed) allowed += 1;
      time.advance(5);
    }
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed).toBeLessThanOrEqual(101);
  });

  it("keeps clients apart", () => {
    const limiter = new RequestRateLimiter({ requestsPerSecond: 1, burst: 1 }, { now: clock().now });
    expect(limiter.take("a").allowed).toBe(true);
    expect(limiter.take("a").allowed).toBe(false);
    expect(limiter.take("b").allowed).toBe(true);
  });

  it("says how long to wait at a slow rate", () => {
    const limiter = new RequestRateLimiter({ requestsPerSecond: 0.1, burst: 1 }, { now: clock().now });
    limiter.take("a");
    expect(limiter.take("a")).toEqual({ allowed: false, retryAfterSeconds: 10, retryAfterMs: 10_000 });
  });

  it("holds at most maxClients buckets however many addresses arrive", () => {
    const time = clock();
    const limiter = new RequestRateLimiter({ requestsPerSecond: 1, burst: 3 }, { now: time.now, maxClients: 1000 });
    for (let i = 0; i < 50_000; i++) {
      limiter.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      if (i % 100 === 0) time.advance(1);
    }
    expect(limiter.clientCount).toBeLessThanOrEqual(1000);
  });

  it("sweeps refilled buckets before forgetting a busy client", () => {
    const time = clock();
    const limiter = new RequestRateLimiter({ requestsPerSecond: 1, burst: 2 }, { now: time.now, maxClients: 3 });
    limiter.take("idle-1");
    limiter.take("idle-2");
    time.advance(5_000); // both idle buckets are full again
    limiter.take("busy");
    limiter.take("busy");
    limiter.take("newcomer");
    expect(limiter.take("busy").allowed).toBe(false); // still remembered: its bucket was not evicted
  });
});

describe("ConnectionLimiter", () => {
  it("caps requests in progress per client and forgets clients with none", () => {
    const limiter = new ConnectionLimiter(2);
    expect(limiter.acquire("a")).toBe(true);
    expect(limiter.acquire("a")).toBe(true);
    expect(limiter.acquire("a")).toBe(false);
    expect(limiter.acquire("b")).toBe(true);
    limiter.release("a");
    expect(limiter.acquire("a")).toBe(true);
    limiter.release("a");
    limiter.release("a");
    limiter.release("b");
    limiter.release("b"); // a stray release changes nothing
    expect(limiter.clientCount).toBe(0);
  });
});
