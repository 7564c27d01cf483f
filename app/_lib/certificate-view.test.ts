import { describe, expect, it } from "vitest";
import {
  certificateFailure,
  expectedSteps,
  isFailedOrder,
  nextStep,
  parseDismissed,
  progressSummary,
  stepTitle,
  upcomingSteps,
} from "./certificate-view";

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

describe("the steps of an order", () => {
  const step = (name: string, state: "done" | "running" | "failed" = "done") => ({ step: name, state, message: "", at: now.toISOString() });

  it("over HTTP-01: one challenge per name", () => {
    expect(expectedSteps(["a.test", "b.test"], "http-01")).toEqual([
      "account",
      "order",
      "challenge a.test",
      "challenge b.test",
      "validation",
      "issued",
      "installed",
    ]);
  });

  it("over DNS-01: each name's TXT record, seen on the name servers, the challenge, as the proxy reports them; the records removed before installing", () => {
    expect(expectedSteps(["*.dns.test", "dns.test"], "dns-01")).toEqual([
      "account",
      "order",
      "record *.dns.test",
      "record dns.test",
      "seen *.dns.test",
      "seen dns.test",
      "challenge *.dns.test",
      "challenge dns.test",
      "validation",
      "issued",
      "cleanup",
      "installed",
    ]);
  });

  it("gives the DNS-01 steps short titles", () => {
    expect(stepTitle("record *.example.com")).toBe("Create the TXT record for *.example.com");
    expect(stepTitle("seen *.example.com")).toBe("Seen on the name servers");
    expect(stepTitle("challenge *.example.com")).toBe("Prove control of *.example.com");
    expect(stepTitle("cleanup")).toBe("Remove the TXT records");
  });

  it("draws the DNS-01 steps still to come after the last one reported", () => {
    const order = { domains: ["*.dns.test", "dns.test"], challenge: "dns-01" as const };
    const progress = [step("account"), step("order"), step("record *.dns.test"), step("seen *.dns.test", "running")];
    expect(upcomingSteps(order, progress)).toEqual([
      "record dns.test",
      "seen dns.test",
      "challenge *.dns.test",
      "challenge dns.test",
      "validation",
      "issued",
      "cleanup",
      "installed",
    ]);
    expect(progressSummary({ ...order, progress, ordering: true })).toMatchObject({ done: 3, total: 12, failed: false });
  });

  it("keeps a name's steps to come in sight while another name's arrive first (the names are worked on at once)", () => {
    const order = { domains: ["*.dns.test", "dns.test"], challenge: "dns-01" as const };
    const progress = [step("account"), step("order"), step("record dns.test"), step("seen dns.test", "running")];
    expect(upcomingSteps(order, progress)).toEqual([
      "record *.dns.test",
      "seen *.dns.test",
      "challenge *.dns.test",
      "challenge dns.test",
      "validation",
      "issued",
      "cleanup",
      "installed",
    ]);
    expect(upcomingSteps(order, [...progress, step("validation", "running")])).toEqual(["issued", "cleanup", "installed"]);
  });
});
