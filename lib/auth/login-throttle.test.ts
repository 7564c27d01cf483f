import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle";

describe("LoginThrottle", () => {
  it("lets the first attempts through, then doubles the wait up to a cap", () => {
    const throttle = new LoginThrottle(() => 0);
    const keys = ["ip:1.2.3.4", "email:a@b.c"];
    const delays: (number | null)[] = [];
    for (let i = 0; i < 10; i++) {
      delays.push(throttle.delayMs(keys));
      throttle.recordFailure(keys);
    }
    expect(delays).toEqual([0, 0, 0, 500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it("locks a key out after a burst, until the window passes", () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 20; i++) throttle.recordFailure(["email:a@b.c"]);
    expect(throttle.delayMs(["ip:9.9.9.9", "email:a@b.c"])).toBeNull();
    expect(throttle.retryAfterSeconds(["email:a@b.c"])).toBe(900);
    now = 15 * 60 * 1000 + 1;
    expect(throttle.delayMs(["email:a@b.c"])).toBe(0);
  });

  it("a success clears the keys", () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < 5; i++) throttle.recordFailure(["email:a@b.c"]);
    throttle.recordSuccess(["email:a@b.c"]);
    expect(throttle.delayMs(["email:a@b.c"])).toBe(0);
  });

  it("stays bounded however many addresses arrive", () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < 25_000; i++) throttle.recordFailure([`ip:${i}`]);
    expect((throttle as unknown as { entries: Map<string, unknown> }).entries.size).toBe(10_000);
  });
});
