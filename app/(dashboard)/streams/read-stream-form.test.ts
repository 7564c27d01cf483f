import { describe, expect, it } from "vitest";
import { streamInputSchema } from "@/lib/schemas/stream";
import { friendlyStreamMessage, readStreamForm } from "./read-stream-form";

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

const filled = {
  name: "Postgres",
  protocol: "tcp",
  listenPort: "15432",
  upstreams: "127.0.0.1:5432\n\ntcp://127.0.0.1:5433 weight=3",
  "loadBalancing.policy": "weighted",
  accessListId: "",
  idleTimeoutSeconds: "600",
  proxyProtocol: "on",
  "healthCheck.enabled": "on",
  "healthCheck.intervalSeconds": "10",
  "healthCheck.timeoutSeconds": "5",
  "healthCheck.healthyThreshold": "2",
  "healthCheck.unhealthyThreshold": "3",
  enabled: "on",
};

describe("readStreamForm", () => {
  it("reads a filled form into a stream the schema accepts, with each upstream's line", () => {
    const { input, lines, problems } = readStreamForm(form(filled));
    expect(problems).toEqual({});
    expect(lines).toEqual({ upstreams: [1, 3] });
    expect(input).toMatchObject({
      listenPort: 15432,
      upstreams: [{ url: "127.0.0.1:5432" }, { url: "tcp://127.0.0.1:5433", weight: 3 }],
      accessListId: null,
      proxyProtocol: true,
      healthCheck: { enabled: true, intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
    });
    const parsed = streamInputSchema.safeParse(input);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.upstreams[0]?.url).toBe("tcp://127.0.0.1:5432");
  });

  it("names a port that is no number, and a bad weight, by the service's paths", () => {
    const { input, problems } = readStreamForm(form({ ...filled, listenPort: "80a", upstreams: "127.0.0.1:53 weight=0" }));
    expect(Number.isNaN(input.listenPort)).toBe(true);
    expect(problems).toEqual({ listenPort: "Use a whole number, like 5432", "upstreams.0.weight": expect.stringContaining("weight") });
    expect(readStreamForm(form({ ...filled, listenPort: " " })).problems.listenPort).toBe("Give the port to listen on, from 1 to 65535");
  });

  it("never sends the PROXY protocol for a UDP stream, and reads unticked boxes as off", () => {
    const { proxyProtocol: _on, enabled: _enabled, ...rest } = filled;
    expect(readStreamForm(form({ ...filled, protocol: "udp" })).input.proxyProtocol).toBe(false);
    expect(readStreamForm(form(rest)).input).toMatchObject({ proxyProtocol: false, enabled: false });
  });
});

describe("friendlyStreamMessage", () => {
  it("replaces zod's generic words only", () => {
    expect(friendlyStreamMessage("healthCheck.healthyThreshold", "Too big: expected number to be <=20")).toBe(
      "Use a whole number of checks from 1 to 20",
    );
    expect(friendlyStreamMessage("listenPort", "Use a port from 1 to 65535")).toBe("Use a port from 1 to 65535");
  });
});
