import { describe, expect, it } from "vitest";
import { certificateFailure, isFailedOrder, nextStep, parseDismissed } from "./certificate-view";

const now = new Date("2026-12-07T08:00:00Z");
const failedOrder = {
  id: "c1",
  name: "shop.test",
  source: "acme" as const,
  issuer: "",
  serialNumber: "",
  status: "failed" as const,
  lastError: "Could not reach the ACME server",
  notAfter: now.toISOString(),
  daysLeft: 0,
  ordering: false,
  progress: [],
  nextAttemptAt: "2026-12-07T08:05:00.000Z",
};

describe("failed orders", () => {
  it("is a failed order only while never issued and not running", () => {
    expect(isFailedOrder(failedOrder)).toBe(true);
    expect(isFailedOrder({ ...failedOrder, issuer: "Pebble", serialNumber: "01" })).toBe(false);
    expect(isFailedOrder({ ...failedOrder, status: "pending" })).toBe(false);
  });

  it("names one next step: when the proxy tries again, or that it is trying now", () => {
    expect(nextStep(failedOrder, now)).toBe(
      "The proxy tries again by itself at 08:05 UTC; once you have fixed the cause, “Try again now” does not wait.",
    );
    expect(nextStep({ ...failedOrder, nextAttemptAt: "2026-12-08T02:10:00.000Z" }, now)).toContain("at 8 Dec 2026, 02:10 UTC");
    expect(nextStep({ ...failedOrder, nextAttemptAt: "2026-12-07T07:59:00.000Z" }, now)).toContain("within a few seconds");
    expect(nextStep({ ...failedOrder, ordering: true }, now)).toBe("Trying again now.");
    // A failed renewal names the button its page has.
    expect(nextStep({ ...failedOrder, issuer: "Pebble", serialNumber: "01" }, now)).toContain("“Renew now” does not wait");
  });

  it("keys a banner entry by certificate and error, so a different failure comes back after a dismissal", () => {
    const first = certificateFailure(failedOrder);
    expect(first.text).toBe("The Let's Encrypt order for “shop.test” failed.");
    expect(first.text).not.toContain(failedOrder.lastError);
    expect(certificateFailure(failedOrder).key).toBe(first.key);
    expect(certificateFailure({ ...failedOrder, lastError: "A CAA record forbids it" }).key).not.toBe(first.key);
    expect(parseDismissed(`${first.key},,x`)).toEqual(new Set([first.key, "x"]));
  });
});
