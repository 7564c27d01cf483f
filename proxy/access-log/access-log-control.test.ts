import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { askProxyGet } from "@/lib/config/control-client";
import { siteAccessLog } from "@/lib/services/access-log";
import { createSite } from "@/lib/services/sites";
import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import { useTempDatabase } from "@/test-support/database";
import { startControlServer } from "../primary/control-server";
import { AccessLogRings } from "./access-log-ring";

/** The dashboard's service against the primary's real control server and rings. */
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

let cleanup: () => Promise<void>;
let siteId: string;
let control: Server;
let rings: AccessLogRings;

function entry(n: number, fields: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    time: T0 + n * 1000,
    siteId,
    method: "GET",
    host: "blog.example.com",
    path: `/p/${n}`,
    status: 200,
    latencyMs: 2.5,
    bytesIn: 80,
    bytesOut: 900,
    clientIp: "198.51.100.4",
    userAgent: "curl/8",
    ...fields,
  };
}

beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // no reload notices while creating the site
  siteId = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] })).id;
  rings = new AccessLogRings({ ringSize: 100 });
  control = await startControlServer(0, { onReload: () => undefined, preflight: async () => [], accessLog: rings });
  process.env.PROXY_CONTROL_PORT = String((control.address() as AddressInfo).port);
});
afterEach(async () => {
  await new Promise<void>((resolve) => control.close(() => resolve()));
  await cleanup();
});

describe("siteAccessLog through the control port", () => {
  it("answers the site's entries, filtered, newest first, with ISO times", async () => {
    rings.add([
      entry(1),
      entry(2, { status: 404, path: "/missing" }),
      entry(3, { method: "POST", status: 201 }),
      entry(4, { status: 404, path: "/gone", clientIp: "2001:db8::1" }),
      entry(5, { siteId: "another-site", status: 404 }),
    ]);
    const all = await siteAccessLog(siteId, {});
    expect(all.total).toBe(4);
    expect(all.entries.map((row) => row.path)).toEqual(["/gone", "/p/3", "/missing", "/p/1"]);
    expect(all.entries[3]).toEqual({
      time: "2026-01-01T12:00:01.000Z",
      method: "GET",
      host: "blog.example.com",
      path: "/p/1",
      status: 200,
      latencyMs: 2.5,
      bytesIn: 80,
      bytesOut: 900,
      clientIp: "198.51.100.4",
      userAgent: "curl/8",
    });
    expect(await siteAccessLog(siteId, { status: "4xx", limit: "1" })).toMatchObject({ total: 2, entries: [{ path: "/gone" }] });
    expect((await siteAccessLog(siteId, { method: "post" })).entries.map((row) => row.status)).toEqual([201]);
    expect((await siteAccessLog(siteId, { clientIp: "2001:DB8::1" })).entries.map((row) => row.path)).toEqual(["/gone"]);
    expect((await siteAccessLog(siteId, { path: "miss" })).entries.map((row) => row.path)).toEqual(["/missing"]);
  });

  it("answers blocked=1 from the blocked ring, which normal traffic does not push out", async () => {
    rings.add([
      entry(1, { status: 403, path: "/?q=1 union select", blockedBy: "exploit:sqli-union-select" }),
      entry(2, { status: 429, blockedBy: "rate-limit", clientIp: "203.0.113.50" }),
    ]);
    rings.add(Array.from({ length: 100 }, (_, i) => entry(10 + i)));
    expect((await siteAccessLog(siteId, {})).entries.some((row) => row.blockedBy !== undefined)).toBe(false);

    const blocked = await siteAccessLog(siteId, { blocked: "1" });
    expect(blocked.total).toBe(2);
    expect(blocked.entries.map((row) => row.blockedBy)).toEqual(["rate-limit", "exploit:sqli-union-select"]);
    expect(blocked.entries[1]).toEqual({
      time: "2026-01-01T12:00:01.000Z",
      method: "GET",
      host: "blog.example.com",
      path: "/?q=1 union select",
      status: 403,
      latencyMs: 2.5,
      bytesIn: 80,
      bytesOut: 900,
      clientIp: "198.51.100.4",
      userAgent: "curl/8",
      blockedBy: "exploit:sqli-union-select",
    });
    expect(await siteAccessLog(siteId, { blocked: "true", status: "429" })).toMatchObject({ total: 1, entries: [{ clientIp: "203.0.113.50" }] });
    expect((await siteAccessLog(siteId, { blocked: "0" })).total).toBe(100);
    // The control port reads the flag itself too.
    expect(await askProxyGet(`/access-log?siteId=${siteId}&blocked=1&limit=1`)).toMatchObject({ total: 2, entries: [{ blockedBy: "rate-limit" }] });
    expect(await askProxyGet(`/access-log?siteId=${siteId}&blocked=false&limit=1`)).toMatchObject({ total: 100 });
  });

  it("checks its query itself, for callers other than the dashboard", async () => {
    await expect(askProxyGet("/access-log?siteId=x&status=99")).rejects.toThrow(/\(400\).*status: Enter a status/);
    await expect(askProxyGet("/access-log?status=404")).rejects.toThrow(/\(400\).*siteId/);
    await expect(askProxyGet("/access-log?siteId=x&limit=0")).rejects.toThrow(/\(400\).*limit: Must be at least 1/);
    await expect(askProxyGet("/access-log?siteId=x&blocked=yes")).rejects.toThrow(/\(400\).*blocked: Use 1 or true/);
    await expect(askProxyGet("/access-log/more?siteId=x")).rejects.toThrow(/\(404\)/);
    expect(await askProxyGet("/access-log?siteId=x")).toEqual({ entries: [], total: 0 });
  });
});
