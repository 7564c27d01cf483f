import { describe, expect, it } from "vitest";
import { daysLeft, expiryColour, expiryStatus } from "./expiry";

const now = new Date("2025-06-01T12:00:00Z");
const at = (offsetHours: number) => new Date(now.getTime() + offsetHours * 60 * 60 * 1000);

describe("daysLeft", () => {
  const cases: [hours: number, days: number][] = [
    [24 * 90, 90],
    [24 * 30 + 23, 30],
    [24, 1],
    [23, 0],
    [0, 0],
    [-1, -1],
    [-24, -1],
    [-25, -2],
  ];
  it.each(cases)("%d hours ahead is %d days", (hours, days) => {
    expect(daysLeft(at(hours), now)).toBe(days);
  });
});

describe("expiryStatus", () => {
  const cases: [hours: number, status: string][] = [
    [24 * 31, "valid"],
    [24 * 30 + 23, "expiring"],
    [24 * 30, "expiring"],
    [1, "expiring"],
    [0, "expiring"],
    [-1, "expired"],
    [-24 * 400, "expired"],
  ];
  it.each(cases)("%d hours ahead is %s", (hours, status) => {
    expect(expiryStatus(at(hours), now)).toBe(status);
  });
});

describe("expiryColour", () => {
  const cases: [days: number, colour: string][] = [
    [365, "green"],
    [31, "green"],
    [30, "amber"],
    [8, "amber"],
    [7, "red"],
    [0, "red"],
    [-5, "red"],
  ];
  it.each(cases)("%d days is %s", (days, colour) => {
    expect(expiryColour(days)).toBe(colour);
  });
});
