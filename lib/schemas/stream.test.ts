import { describe, expect, it } from "vitest";
import { zodDetails } from "../errors";
import { mergeStreamPatch, streamInputSchema } from "./stream";
import { DEFAULT_STREAM_IDLE_SECONDS, defaultStreamHealthCheck } from "./stream-options";

// Loopback only: nothing here is ever connected to, but no upstream names another machine.
const postgres = { name: "Postgres", protocol: "tcp", listenPort: 5432, upstreams: [{ url: "127.0.0.1:15432" }] };

const problems = (input: unknown) => {
  const result = streamInputSchema.safeParse(input);
  return result.success ? {} : zodDetails(result.error);
};

describe("streamInputSchema", () => {
  it("fills the defaults a new user expects", () => {
    expect(streamInputSchema.parse(postgres)).toEqual({
      name: "Postgres",
      protocol: "tcp",
      listenPort: 5432,
      upstreams: [{ url: "tcp://127.0.0.1:15432", weight: 1 }],
      enabled: true,
      loadBalancing: { policy: "round_robin" },
      healthCheck: defaultStreamHealthCheck,
      accessListId: null,
      idleTimeoutSeconds: DEFAULT_STREAM_IDLE_SECONDS,
      proxyProtocol: false,
    });
  });

  it('reads "host:port" as tcp:// on a TCP stream and on both, and as udp:// on a UDP stream', () => {
    const urls = (protocol: string) => streamInputSchema.parse({ ...postgres, protocol }).upstreams.map((upstream) => upstream.url);
    expect(urls("tcp")).toEqual(["tcp://127.0.0.1:15432"]);
    expect(urls("udp")).toEqual(["udp://127.0.0.1:15432"]);
    expect(urls("both")).toEqual(["tcp://127.0.0.1:15432"]);
    expect(streamInputSchema.parse({ ...postgres, upstreams: [{ url: " [::1]:53 " }], protocol: "udp" }).upstreams[0]?.url).toBe("udp://[::1]:53");
  });

  it("forwards a TCP stream to tcp:// and a UDP stream to udp://; both takes either", () => {
    expect(problems({ ...postgres, upstreams: [{ url: "udp://127.0.0.1:53" }] })).toEqual({
      "upstreams.0.url": '"udp://127.0.0.1:53": a TCP stream forwards to tcp:// upstreams',
    });
    expect(problems({ ...postgres, protocol: "udp", upstreams: [{ url: "tcp://127.0.0.1:53" }] })).toEqual({
      "upstreams.0.url": '"tcp://127.0.0.1:53": a UDP stream forwards to udp:// upstreams',
    });
    expect(problems({ ...postgres, protocol: "both", upstreams: [{ url: "tcp://127.0.0.1:53" }, { url: "udp://127.0.0.1:53" }] })).toEqual({});
  });

  it("refuses an upstream that is the stream's own port on this machine (a loop), or a link-local address", () => {
    expect(problems({ ...postgres, upstreams: [{ url: "localhost:5432" }, { url: "[::1]:5432" }, { url: "127.0.0.2:5433" }] })).toEqual({
      "upstreams.0.url": '"tcp://localhost:5432" is this stream\'s own port: the stream would forward to itself',
      "upstreams.1.url": '"tcp://[::1]:5432" is this stream\'s own port: the stream would forward to itself',
    });
    // Only parsed, never connected to.
    expect(problems({ ...postgres, upstreams: [{ url: "169.254.169.254:80" }] })).toEqual({
      "upstreams.0.url": expect.stringMatching(/link-local or cloud metadata address.*a stream may not forward there/),
    });
  });

  it("refuses an address that is not scheme://host:port", () => {
    expect(problems({ ...postgres, upstreams: [{ url: "http://127.0.0.1:80" }] })).toEqual({
      "upstreams.0.url": expect.stringMatching(/must start with tcp:\/\/ or udp:\/\//),
    });
    expect(problems({ ...postgres, upstreams: [{ url: "127.0.0.1" }] })).toEqual({ "upstreams.0.url": expect.stringMatching(/add the port/) });
    expect(problems({ ...postgres, upstreams: [{ url: "tcp://127.0.0.1:5432/db" }] })).toEqual({
      "upstreams.0.url": expect.stringMatching(/must be only tcp:\/\/host:port/),
    });
    expect(problems({ ...postgres, upstreams: [] })).toEqual({ upstreams: "Add at least one upstream server" });
  });

  it.each([
    [0, "Use a port from 1 to 65535"],
    [65_536, "Use a port from 1 to 65535"],
    [80.5, "Give the port as a whole number"],
    ["5432", "Give the port to listen on, from 1 to 65535"],
    [undefined, "Give the port to listen on, from 1 to 65535"],
  ])("refuses the listen port %j saying %j", (listenPort, message) => {
    expect(problems({ ...postgres, listenPort })).toEqual({ listenPort: message });
  });

  it("leaves this product's own ports to the service, which names the owner (a 409, not a 400)", () => {
    expect(problems({ ...postgres, listenPort: 443 })).toEqual({});
  });

  it("refuses a misspelt key, naming it", () => {
    expect(problems({ ...postgres, port: 5432, upstreams: [{ url: "127.0.0.1:15432", wieght: 2 }] })).toEqual({
      port: "Unknown field: check its spelling, or leave it out",
      "upstreams.0.wieght": "Unknown field: check its spelling, or leave it out",
    });
  });

  it("refuses the PROXY protocol on a UDP stream", () => {
    expect(problems({ ...postgres, protocol: "udp", proxyProtocol: true })).toEqual({
      proxyProtocol: "The PROXY protocol is sent on TCP connections only: choose TCP or both",
    });
    expect(problems({ ...postgres, protocol: "both", proxyProtocol: true })).toEqual({});
  });

  it("checks the protocol, idle timeout and health check field by field", () => {
    expect(
      Object.keys(
        problems({
          ...postgres,
          protocol: "sctp",
          idleTimeoutSeconds: 0,
          healthCheck: { intervalSeconds: 5, timeoutSeconds: 5, path: "/" },
        }),
      ).sort(),
    ).toEqual(["healthCheck.path", "idleTimeoutSeconds", "protocol"]);
    expect(problems({ ...postgres, healthCheck: { intervalSeconds: 2, timeoutSeconds: 5 } })).toEqual({
      "healthCheck.timeoutSeconds": "The timeout must not be longer than the interval",
    });
  });
});

describe("mergeStreamPatch", () => {
  const current = streamInputSchema.parse({ ...postgres, healthCheck: { intervalSeconds: 30 } });

  it("changes only the fields sent, and only the keys sent inside the health check", () => {
    const merged = mergeStreamPatch(current, { name: "Main DB", healthCheck: { timeoutSeconds: 2 } });
    expect(merged.data).toEqual({ ...current, name: "Main DB", healthCheck: { ...current.healthCheck, intervalSeconds: 30, timeoutSeconds: 2 } });
  });

  it("replaces the upstream list sent, and checks the merged whole", () => {
    expect(mergeStreamPatch(current, { upstreams: [{ url: "127.0.0.1:6432" }] }).data?.upstreams).toEqual([
      { url: "tcp://127.0.0.1:6432", weight: 1 },
    ]);
    const toUdp = mergeStreamPatch(current, { protocol: "udp" });
    expect(zodDetails(toUdp.error!)).toEqual({ "upstreams.0.url": '"tcp://127.0.0.1:15432": a UDP stream forwards to udp:// upstreams' });
  });

  it("refuses unknown fields", () => {
    expect(zodDetails(mergeStreamPatch(current, { port: 1 }).error!)).toEqual({ port: "Unknown field: check its spelling, or leave it out" });
  });
});
