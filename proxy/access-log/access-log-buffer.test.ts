import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import { countedRequest, type CountedResponse } from "@/test-support/counting-client";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { testSite, testSnapshot } from "@/test-support/snapshots";
import { startTrafficBackend } from "@/test-support/traffic-backend";
import type { CountedRequest } from "../traffic/traffic-counter";
import { AccessLogBuffer, MAX_HOST_LENGTH, MAX_PATH_LENGTH, MAX_USER_AGENT_LENGTH } from "./access-log-buffer";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Just the parts of a request the buffer reads. */
function fakeRequest(fields: {
  method?: string;
  url?: string;
  host?: string;
  userAgent?: string;
  clientIp?: string;
  blockedBy?: string;
}): CountedRequest {
  const headers: Record<string, string> = {};
  if (fields.host !== undefined) headers.host = fields.host;
  if (fields.userAgent !== undefined) headers["user-agent"] = fields.userAgent;
  return {
    req: { method: fields.method ?? "GET", url: fields.url ?? "/", headers } as IncomingMessage,
    client: { ip: fields.clientIp ?? "127.0.0.1", scheme: null, peer: fields.clientIp ?? "127.0.0.1", viaTrustedProxy: false },
    blockedBy: fields.blockedBy ?? null,
    coded: null,
    cache: null,
  };
}

describe("AccessLogBuffer", () => {
  it("records what was sent, truncated to bounded sizes", () => {
    const buffer = new AccessLogBuffer({ perSiteLimit: 10, clock: () => T0 });
    const longPath = `/${"p".repeat(MAX_PATH_LENGTH + 100)}`;
    buffer.observe(
      "blog",
      fakeRequest({
        method: "post",
        url: longPath,
        host: `${"h".repeat(300)}.test`,
        userAgent: "u".repeat(500),
        clientIp: "10.1.2.3",
        blockedBy: "rate-limit",
      }),
      201,
      12.3456,
      300,
      4000,
    );
    buffer.observe("blog", fakeRequest({ url: "/ws", host: "blog.test", clientIp: "2001:db8::7" }), 0, -1, 0, 0);
    const [first, second] = buffer.drain() as [AccessLogEntry, AccessLogEntry];
    expect(first).toEqual({
      time: T0,
      siteId: "blog",
      method: "POST",
      host: "h".repeat(MAX_HOST_LENGTH),
      path: longPath.slice(0, MAX_PATH_LENGTH),
      status: 201,
      latencyMs: 12.35,
      bytesIn: 300,
      bytesOut: 4000,
      clientIp: "10.1.2.3",
      userAgent: "u".repeat(MAX_USER_AGENT_LENGTH),
      blockedBy: "rate-limit",
    });
    // No user agent, no answer, no latency measured: empty and zero, never undefined or negative.
    expect(second).toMatchObject({ path: "/ws", status: 0, latencyMs: 0, userAgent: "", clientIp: "2001:db8::7" });
  });

  it("never cuts a character in half", () => {
    const buffer = new AccessLogBuffer({ perSiteLimit: 10 });
    buffer.observe("blog", fakeRequest({ url: `/${"a".repeat(MAX_PATH_LENGTH - 2)}😀tail` }), 200, 1, 0, 0);
    const [entry] = buffer.drain();
    expect(entry!.path).toBe(`/${"a".repeat(MAX_PATH_LENGTH - 2)}`);
  });

  it("keeps at most perSiteLimit entries per site between drains, the newest", () => {
    let now = T0;
    const buffer = new AccessLogBuffer({ perSiteLimit: 1_000, clock: () => now++ });
    for (let i = 0; i < 25_000; i++) buffer.observe("blog", fakeRequest({ url: `/b/${i}` }), 200, 1, 0, 0);
    for (let i = 0; i < 10; i++) buffer.observe("shop", fakeRequest({ url: `/s/${i}` }), 200, 1, 0, 0);
    const drained = buffer.drain();
    expect(drained).toHaveLength(1_010);
    expect(drained.filter((e) => e.siteId === "blog").map((e) => e.path)).toEqual(Array.from({ length: 1_000 }, (_, i) => `/b/${24_000 + i}`));
    // Oldest first across sites.
    expect(drained.map((e) => e.time)).toEqual([...drained.map((e) => e.time)].sort((a, b) => a - b));
    expect(drained.at(-1)!.path).toBe("/s/9");
    expect(buffer.drain()).toEqual([]);
  });

  it("never throws into the request path", () => {
    const buffer = new AccessLogBuffer({ perSiteLimit: 10 });
    const broken = {
      ...fakeRequest({}),
      get req(): never {
        throw new Error("gone");
      },
    };
    expect(() => buffer.observe("blog", broken, 200, 1, 0, 0)).not.toThrow();
    expect(buffer.drain()).toEqual([]);
  });
});

describe("the access log in the data plane", () => {
  let upstream: Awaited<ReturnType<typeof startTrafficBackend>>;
  let proxy: RunningDataPlane;
  let quiet: RunningDataPlane;

  beforeAll(async () => {
    upstream = await startTrafficBackend();
    proxy = await startDataPlane({ traffic: { enabled: true }, accessLog: { perSiteLimit: 3 } });
    quiet = await startDataPlane({ traffic: { enabled: false } });
    const snapshot = testSnapshot(1, [testSite({ id: "alpha", hostnames: ["alpha.test"], upstreams: [upstream.url] })]);
    expect(proxy.plane.apply(snapshot).ok).toBe(true);
    expect(quiet.plane.apply(snapshot).ok).toBe(true);
  });

  afterAll(async () => {
    await proxy?.close();
    await quiet?.close();
    await upstream?.close();
  });

  async function drainUntil(plane: RunningDataPlane["plane"], count: number): Promise<AccessLogEntry[]> {
    const entries: AccessLogEntry[] = [];
    const deadline = Date.now() + 5_000;
    while (entries.length < count && Date.now() < deadline) {
      entries.push(...plane.drainAccessLog());
      if (entries.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    entries.push(...plane.drainAccessLog());
    return entries;
  }

  it("logs every finished request of a site, with the bytes the traffic counter measured", async () => {
    proxy.plane.drainAccessLog();
    const sent: CountedResponse[] = [];
    sent.push(await countedRequest({ port: proxy.httpPort, host: "alpha.test", path: "/size/10?q=1", headers: { "user-agent": "probe/1" } }));
    sent.push(await countedRequest({ port: proxy.httpPort, host: "alpha.test", path: "/status/404", method: "POST", body: "x".repeat(50) }));
    // Not routed to any site: not in any site's log.
    await countedRequest({ port: proxy.httpPort, host: "nobody.test", path: "/" });
    const entries = await drainUntil(proxy.plane, 2);
    expect(
      entries.map(({ method, host, path, status, clientIp, userAgent, siteId }) => ({ method, host, path, status, clientIp, userAgent, siteId })),
    ).toEqual([
      { method: "GET", host: "alpha.test", path: "/size/10?q=1", status: 200, clientIp: "127.0.0.1", userAgent: "probe/1", siteId: "alpha" },
      { method: "POST", host: "alpha.test", path: "/status/404", status: 404, clientIp: "127.0.0.1", userAgent: "", siteId: "alpha" },
    ]);
    expect(entries.map((e) => [e.bytesIn, e.bytesOut])).toEqual(sent.map((r) => [r.bytesSent, r.bytesReceived]));
    expect(entries.every((e) => e.latencyMs > 0 && Math.abs(e.time - Date.now()) < 10_000)).toBe(true);
  });

  it("keeps only the newest perSiteLimit between drains", async () => {
    proxy.plane.drainAccessLog();
    for (let i = 0; i < 5; i++) await countedRequest({ port: proxy.httpPort, host: "alpha.test", path: `/size/${i}` });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proxy.plane.drainAccessLog().map((e) => e.path)).toEqual(["/size/2", "/size/3", "/size/4"]);
  });

  it("is off when traffic counting is off", async () => {
    expect((await countedRequest({ port: quiet.httpPort, host: "alpha.test", path: "/size/1" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(quiet.plane.drainAccessLog()).toEqual([]);
  });
});
