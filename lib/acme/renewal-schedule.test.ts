import { describe, expect, it } from "vitest";
import { renewalDueAt, retryDelayMs } from "./renewal-schedule";

const DAY = 24 * 60 * 60 * 1000;
const issued = new Date("2026-01-01T00:00:00Z");
const daysAfterIssue = (days: number) => new Date(issued.getTime() + days * DAY);

describe("renewalDueAt", () => {
  it.each([
    ["90-day Let's Encrypt", 90, 60],
    ["6-day short-lived", 6, 4],
    ["1-year", 365, 335],
    ["45-day", 45, 30],
  ])("renews a %s certificate on day %#", (_name, lifetimeDays, dueDay) => {
    expect(renewalDueAt(issued, daysAfterIssue(lifetimeDays))).toEqual(daysAfterIssue(dueDay));
  });
});

describe("retryDelayMs", () => {
  it("doubles from 5 minutes and caps at 6 hours", () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n) / 60_000);
    expect(minutes).toEqual([5, 10, 20, 40, 80, 160, 320, 360, 360]);
  });
});
