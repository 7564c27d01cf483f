import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bytesScale, formatBytes, niceMax, pointTimeLabel, timeTicks, valueTicks } from "./chart-scale";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// The ticks follow the local clock; pin the zone so the expectations are exact.
let zone: string | undefined;
beforeEach(() => {
  zone = process.env.TZ;
  process.env.TZ = "UTC";
});
afterEach(() => {
  process.env.TZ = zone;
});

const labels = (from: string, to: string, max?: number) => timeTicks(Date.parse(from), Date.parse(to), max).map((tick) => tick.label);

describe("timeTicks", () => {
  it("puts an hour at 10-minute ticks on the clock, not at 14:05 / 14:17", () => {
    expect(labels("2026-12-07T14:05:00Z", "2026-12-07T15:05:00Z")).toEqual(["14:10", "14:20", "14:30", "14:40", "14:50", "15:00"]);
  });

  it("uses a coarser round step when fewer ticks fit (a phone)", () => {
    expect(labels("2026-12-07T14:05:00Z", "2026-12-07T15:05:00Z", 5)).toEqual(["14:15", "14:30", "14:45", "15:00"]);
  });

  it("labels the midnight a day crosses with its date", () => {
    expect(labels("2026-12-06T19:45:00Z", "2026-12-07T19:45:00Z")).toEqual(
      ["00:00", "06:00", "12:00", "18:00"].map((label, index) => (index === 0 ? "7 Dec" : label)),
    );
    expect(labels("2026-12-06T23:30:00Z", "2026-12-07T00:30:00Z")).toEqual(["23:30", "23:40", "23:50", "7 Dec", "00:10", "00:20", "00:30"]);
  });

  it("uses whole days for a week and Mondays for a month", () => {
    expect(labels("2026-11-30T13:00:00Z", "2026-12-07T13:00:00Z")).toEqual(["1 Dec", "2 Dec", "3 Dec", "4 Dec", "5 Dec", "6 Dec", "7 Dec"]);
    // 7 Dec 2026 is a Monday.
    expect(labels("2026-11-07T13:00:00Z", "2026-12-07T13:00:00Z")).toEqual(["9 Nov", "16 Nov", "23 Nov", "30 Nov", "7 Dec"]);
  });

  it("only ever uses steps from the round list, at most maxTicks of them", () => {
    const round = [1, 2, 5, 10, 15, 30]
      .map((minutes) => minutes * MINUTE)
      .concat(
        [1, 2, 3, 6, 12].map((hours) => hours * HOUR),
        [DAY, 2 * DAY, 7 * DAY],
      );
    for (const span of [5 * MINUTE, 17 * MINUTE, 3 * HOUR, 11 * HOUR, 2 * DAY, 9 * DAY]) {
      const to = Date.parse("2026-12-07T12:34:56Z");
      const ticks = timeTicks(to - span, to, 6);
      expect(ticks.length).toBeGreaterThan(1);
      expect(ticks.length).toBeLessThanOrEqual(6);
      const step = ticks[1]!.at - ticks[0]!.at;
      expect(round).toContain(step);
      expect(ticks[0]!.at % Math.min(step, DAY)).toBe(0);
    }
  });

  it("aligns to the local clock in a zone with a half-hour offset", () => {
    process.env.TZ = "Asia/Kolkata";
    // 14:05 to 15:05 UTC is 19:35 to 20:35 in India.
    expect(labels("2026-12-07T14:05:00Z", "2026-12-07T15:05:00Z")).toEqual(["19:40", "19:50", "20:00", "20:10", "20:20", "20:30"]);
  });
});

describe("value axis", () => {
  it("rounds the top to 1, 2 or 5 times a power of ten and steps evenly", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(13)).toBe(20);
    expect(niceMax(420)).toBe(500);
    expect(valueTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(valueTicks(500)).toEqual([0, 100, 200, 300, 400, 500]);
  });

  it("rounds bytes in the unit they are shown in", () => {
    expect(bytesScale(1500).max).toBe(2048);
    expect(bytesScale(1500).ticks.map(formatBytes)).toEqual(["0 B", "512 B", "1 KB", "1.5 KB", "2 KB"]);
    expect(bytesScale(3 * 1024 * 1024).ticks.map(formatBytes)).toEqual(["0 B", "1 MB", "2 MB", "3 MB", "4 MB", "5 MB"]);
  });
});

describe("pointTimeLabel", () => {
  it("says which minutes a point covers, with the date on longer charts", () => {
    expect(pointTimeLabel(Date.parse("2026-12-07T14:09:00Z"), MINUTE, false)).toBe("14:09");
    expect(pointTimeLabel(Date.parse("2026-12-07T14:15:00Z"), 15 * MINUTE, false)).toBe("14:15–14:30");
    expect(pointTimeLabel(Date.parse("2026-12-07T14:00:00Z"), HOUR, true)).toBe("7 Dec 14:00–15:00");
  });
});
