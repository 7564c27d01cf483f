import { describe, expect, it } from "vitest";
import { clientKey, LoginThrottle } from "./login-throttle";

const ATTACKER = LoginThrottle.keys("203.0.113.9", "admin@example.com");
const ADMIN = LoginThrottle.keys("198.51.100.7", "admin@example.com");

/** Fails attempts one after another, each as soon as it is allowed; returns the waits asked for. */
function failInTurn(throttle: LoginThrottle, keys: string[], count: number, clock: { now: number }): number[] {
  const waits: number[] = [];
  for (let i = 0; i < count; i++) {
    let attempt = throttle.begin(keys);
    if (!attempt.allowed) {
      waits.push(attempt.retryAfterSeconds);
      clock.now += attempt.retryAfterSeconds * 1000;
      attempt = throttle.begin(keys);
    } else waits.push(0);
    expect(attempt.allowed).toBe(true);
  }
  return waits;
}

describe("LoginThrottle", () => {
  it("lets the first attempts through, then makes each wait twice as long, up to a cap", () => {
    const clock = { now: 0 };
    const throttle = new LoginThrottle(() => clock.now);
    expect(failInTurn(throttle, ATTACKER, 10, clock)).toEqual([0, 0, 0, 0, 1, 1, 2, 4, 8, 15]);
  });

  it("counts attempts sent at once before any is checked", () => {
    const throttle = new LoginThrottle(() => 0);
    const attempts = Array.from({ length: 40 }, () => throttle.begin(ATTACKER));
    expect(attempts.filter((attempt) => attempt.allowed)).toHaveLength(4);
  });

  it("locks an address out after a burst, until the window passes, and leaves other addresses alone", () => {
    const clock = { now: 0 };
    const throttle = new LoginThrottle(() => clock.now);
    failInTurn(throttle, ATTACKER, 20, clock);
    const locked = throttle.begin(ATTACKER);
    expect(locked).toMatchObject({ allowed: false });
    expect(!locked.allowed && locked.retryAfterSeconds).toBeGreaterThan(60);
    expect(throttle.begin(ADMIN).allowed).toBe(true);
    clock.now = 15 * 60 * 1000 + 1;
    expect(throttle.begin(ATTACKER).allowed).toBe(true);
  });

  it("slows one address down across emails too", () => {
    const throttle = new LoginThrottle(() => 0);
    const allowed = ["a", "b", "c", "d", "e", "f"].filter((name) => throttle.begin(LoginThrottle.keys("203.0.113.9", `${name}@example.com`)).allowed);
    expect(allowed).toHaveLength(4);
  });

  it("a success clears the keys", () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < 3; i++) throttle.begin(ATTACKER);
    const right = throttle.begin(ATTACKER);
    expect(right.allowed).toBe(true);
    if (right.allowed) right.succeeded();
    expect(Array.from({ length: 4 }, () => throttle.begin(ATTACKER).allowed)).toEqual([true, true, true, true]);
  });

  it("stays bounded however many addresses arrive", () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < 25_000; i++) throttle.begin([`client:${i}`]);
    expect((throttle as unknown as { entries: Map<string, unknown> }).entries.size).toBe(10_000);
  });
});

describe("clientKey", () => {
  it("counts an IPv6 client as its /64, and an IPv4 one by its address", () => {
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe(clientKey("2001:db8:1:2:bbbb::2"));
    expect(clientKey("2001:db8:1:2::1")).not.toBe(clientKey("2001:db8:1:3::1"));
    expect(clientKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(clientKey("192.0.2.1")).not.toBe(clientKey("192.0.2.2"));
  });
});
