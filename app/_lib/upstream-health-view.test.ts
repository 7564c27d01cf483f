import { describe, expect, it } from "vitest";
import { siteFields, type Site } from "@/lib/schemas/site";
import { defaultHealthCheck, type UpstreamState } from "@/lib/schemas/upstream-health";
import { formatLatency, formatUptime, timelineSegments, uptimeBasis, uptimeOf, uptimeTone } from "./health-timeline";
import { siteHealth } from "./site-health";
import { sortByAttention } from "./site-view";
import { formatUpstreamLines, parseUpstreamLines, WEIGHT_MESSAGE } from "./upstream-lines";

function site(name: string, states: UpstreamState[], overrides: Partial<Site> = {}): Site {
  return {
    ...siteFields.parse({ name, hostnames: [`${name.toLowerCase()}.example.com`], upstreams: [], blockExploits: false, securityHeaders: null }),
    id: name,
    upstreams: states.map((state, index) => ({
      id: `${name}-${index}`,
      url: `http://10.0.0.${index + 1}:8080`,
      weight: 1,
      health: { state, checkedAt: state === "unknown" ? null : "2026-11-20T00:00:00.000Z", latencyMs: null, message: null },
    })),
    status: { applied: true, appliedRevision: 1, error: null },
    createdAt: "2026-11-20T00:00:00.000Z",
    updatedAt: "2026-11-20T00:00:00.000Z",
    ...overrides,
  };
}

describe("siteHealth", () => {
  it.each([
    [["up", "up"], "up", "All up"],
    [["up"], "up", "Up"],
    [["up", "down", "up"], "degraded", "1 of 3 down"],
    [["down", "unknown"], "degraded", "1 of 2 down"],
    [["down", "down"], "down", "All down"],
    [["down"], "down", "Down"],
    [["unknown", "unknown"], "unknown", "Not checked yet"],
    [["up", "unknown"], "unknown", "Not checked yet"],
  ] as const)("%j is %s", (states, health, label) => {
    expect(siteHealth(site("A", [...states]))).toMatchObject({ health, label });
  });

  it("is unknown while checks are off or the site is off, whatever old rows say", () => {
    expect(siteHealth(site("A", ["down"], { healthCheck: { ...defaultHealthCheck, enabled: false } }))).toMatchObject({
      health: "unknown",
      label: "Checks off",
    });
    expect(siteHealth(site("A", ["up"], { enabled: false })).health).toBe("unknown");
  });
});

describe("sortByAttention", () => {
  it("lists apply errors, then all down, then degraded, then the rest", () => {
    const sites = [
      site("Fine", ["up"]),
      site("Degraded", ["up", "down"]),
      site("Broken", ["up"], { status: { applied: false, appliedRevision: 1, error: "boom" } }),
      site("Off", ["unknown"], { enabled: false }),
      site("Dead", ["down", "down"]),
      site("Fresh", ["unknown"]),
    ];
    expect(sortByAttention(sites).map((entry) => entry.name)).toEqual(["Broken", "Dead", "Degraded", "Off", "Fine", "Fresh"]);
  });
});

describe("upstream lines", () => {
  it("reads addresses with optional weights, and writes them back", () => {
    const parsed = parseUpstreamLines("http://10.0.0.5:8080 weight=3\n\n  10.0.0.6:8080  \nhttp://10.0.0.7 weight = 1");
    expect(parsed.items).toEqual([{ url: "http://10.0.0.5:8080", weight: 3 }, { url: "10.0.0.6:8080" }, { url: "http://10.0.0.7", weight: 1 }]);
    expect(parsed.lines).toEqual([1, 3, 4]);
    expect(parsed.errors).toEqual({});
    expect(
      formatUpstreamLines([
        { url: "http://a", weight: 3 },
        { url: "http://b", weight: 1 },
      ]),
    ).toBe("http://a weight=3\nhttp://b");
  });

  it("names the item of each bad weight or stray word", () => {
    const parsed = parseUpstreamLines("http://a weight=0\nhttp://b weight=x\nhttp://c backup\nhttp://d weight=2 weight=3");
    expect(parsed.errors).toEqual({
      "upstreams.0.weight": WEIGHT_MESSAGE,
      "upstreams.1.weight": WEIGHT_MESSAGE,
      "upstreams.2": expect.stringContaining("backup"),
      "upstreams.3.weight": expect.stringContaining("twice"),
    });
    expect(parseUpstreamLines("http://a:1 10.0.0.6:8080").errors).toEqual({ "upstreams.0": expect.stringContaining("its own line") });
  });
});

describe("timeline", () => {
  const start = new Date("2026-11-20T00:00:00Z");
  const now = new Date("2026-11-21T00:00:00Z");
  const hour = (hours: number) => new Date(start.getTime() + hours * 3_600_000).toISOString();

  it("cuts the day into stretches from the starting state and each change", () => {
    const segments = timelineSegments(
      [
        { state: "down", at: hour(6) },
        { state: "down", at: hour(7) },
        { state: "up", at: hour(12) },
      ],
      "up",
      start,
      now,
    );
    expect(segments.map(({ state, start: from, width }) => [state, from, width])).toEqual([
      ["up", 0, 0.25],
      ["down", 0.25, 0.25],
      ["up", 0.5, 0.5],
    ]);
  });

  it("takes a change at the window's start as the starting state", () => {
    expect(timelineSegments([{ state: "up", at: hour(0) }], "unknown", start, now).map((segment) => segment.state)).toEqual(["up"]);
  });

  it("formats uptime without rounding downtime away, and latency", () => {
    expect(formatUptime(null)).toBe("No data");
    expect(formatUptime(1)).toBe("100%");
    expect(formatUptime(0.99999)).toBe("99.9%");
    expect(formatUptime(0.999)).toBe("99.9%");
    expect(formatUptime(0.75)).toBe("75%");
    expect(formatLatency(12.4)).toBe("12 ms");
    expect(formatLatency(1234)).toBe("1.2 s");
    expect(formatLatency(null)).toBe("—");
  });
});

describe("uptime over what was observed", () => {
  const MINUTE = 60_000;
  const DAY = 24 * 60 * MINUTE;
  const now = new Date("2026-12-07T12:00:00Z");
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE).toISOString();

  it("counts only checked time and says how long that was while there is less than a day of it", () => {
    // Checks began 16 minutes ago; the server was down for one minute of them.
    const changes = [
      { state: "up" as const, at: ago(16) },
      { state: "down" as const, at: ago(10) },
      { state: "up" as const, at: ago(9) },
    ];
    const uptime = uptimeOf(timelineSegments(changes, "unknown", new Date(now.getTime() - DAY), now));
    expect(uptime).toEqual({ uptime: 15 / 16, observedMs: 16 * MINUTE, downMs: MINUTE });
    expect(uptimeBasis(uptime.observedMs, DAY)).toBe("the 16 min observed");
    expect(formatUptime(uptime.uptime)).toBe("93.7%");
    // One minute down is a blip, not an outage: amber, not red.
    expect(uptimeTone(uptime)).toBe("amber");
  });

  it("says the last 24 h once a whole day was observed, and nothing observed is no data", () => {
    const whole = uptimeOf(timelineSegments([], "up", new Date(now.getTime() - DAY), now));
    expect(whole).toEqual({ uptime: 1, observedMs: DAY, downMs: 0 });
    expect(uptimeBasis(whole.observedMs, DAY)).toBe("the last 24 h");
    expect(uptimeTone(whole)).toBe("green");
    const none = uptimeOf(timelineSegments([], "unknown", new Date(now.getTime() - DAY), now));
    expect(none.uptime).toBeNull();
    expect(uptimeTone(none)).toBe("slate");
  });

  it("is red only below 95% with at least 15 minutes down", () => {
    expect(uptimeTone({ uptime: 0.9995, downMs: 0.5 * MINUTE })).toBe("green");
    expect(uptimeTone({ uptime: 0.99, downMs: 14 * MINUTE })).toBe("amber");
    expect(uptimeTone({ uptime: 0.5, downMs: 14 * MINUTE })).toBe("amber");
    expect(uptimeTone({ uptime: 0.96, downMs: 60 * MINUTE })).toBe("amber");
    expect(uptimeTone({ uptime: 0.94, downMs: 15 * MINUTE })).toBe("red");
  });
});
