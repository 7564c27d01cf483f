import { describe, expect, it } from "vitest";
import type { Stream } from "@/lib/schemas/stream";
import { defaultStreamHealthCheck } from "@/lib/schemas/stream-options";
import type { UpstreamState } from "@/lib/schemas/upstream-health";
import { shownStreamUpstreamState, streamHealth, streamView } from "./stream-view";

const upstream = (state: UpstreamState) => ({
  id: state,
  url: "tcp://127.0.0.1:5432",
  weight: 1,
  health: { state, checkedAt: null, latencyMs: null, message: null },
});

const stream = (changes: Partial<Stream> = {}) => ({
  enabled: true,
  protocol: "tcp" as const,
  healthCheck: defaultStreamHealthCheck,
  upstreams: [upstream("up"), upstream("down")],
  status: { applied: true, appliedRevision: 3, error: null },
  ...changes,
});

describe("streamView", () => {
  it("puts the apply error first, then pending, disabled and live", () => {
    expect(streamView(stream({ enabled: false, status: { applied: true, appliedRevision: 1, error: "port 53 in use" } })).state).toBe("error");
    expect(streamView(stream({ status: { applied: false, appliedRevision: null, error: null } })).state).toBe("pending");
    expect(streamView(stream({ enabled: false })).state).toBe("disabled");
    expect(streamView(stream()).state).toBe("live");
  });
});

describe("streamHealth", () => {
  it("counts a TCP stream's servers as a site's", () => {
    const view = streamHealth(stream());
    expect(view).toMatchObject({ health: "degraded", label: "1 of 2 down", tone: "amber" });
    expect(view.explanation).toContain("connections");
  });

  it("says a UDP-only stream is not actively checked, whatever an old row says", () => {
    const udp = stream({ protocol: "udp" });
    expect(streamHealth(udp)).toMatchObject({ health: "unknown", label: "Not checked (UDP)" });
    expect(shownStreamUpstreamState(udp, "down")).toBe("unknown");
    expect(shownStreamUpstreamState(stream({ protocol: "both" }), "down")).toBe("down");
  });

  it("shows a disabled stream, or one with checks off, as not checked", () => {
    expect(streamHealth(stream({ enabled: false })).label).toBe("Not checked");
    expect(streamHealth(stream({ healthCheck: { ...defaultStreamHealthCheck, enabled: false } })).label).toBe("Checks off");
  });
});
