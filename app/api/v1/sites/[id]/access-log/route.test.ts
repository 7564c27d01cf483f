import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSite } from "@/lib/services/sites";
import { AccessLogRings } from "@/proxy/access-log/access-log-ring";
import { startControlServer } from "@/proxy/primary/control-server";
import { adminApiToken } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import * as accessLogRoute from "./route";

let cleanup: () => Promise<void>;
let token: string;
let siteId: string;
let control: Server | undefined;

beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
  siteId = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] })).id;
});
afterEach(async () => {
  await new Promise<void>((resolve) => (control ? control.close(() => resolve()) : resolve()));
  control = undefined;
  await cleanup();
});

function get(id: string, query = "", auth = true): Promise<Response> {
  const headers: Record<string, string> = auth ? { authorization: `Bearer ${token}` } : {};
  const request = new NextRequest(new URL(`/api/v1/sites/${id}/access-log${query}`, "http://dashboard.local"), { headers });
  return accessLogRoute.GET(request, { params: Promise.resolve({ id }) });
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; details: Record<string, string> } };
  return { status: response.status, ...body.error };
}

describe("GET /api/v1/sites/:id/access-log", () => {
  it("requires credentials", async () => {
    expect(await errorOf(await get(siteId, "", false))).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("says which filter is wrong", async () => {
    expect(await errorOf(await get(siteId, "?status=4x"))).toMatchObject({
      status: 400,
      code: "validation_failed",
      details: { status: "Enter a status such as 404, or a class such as 4xx" },
    });
    expect(await errorOf(await get(siteId, "?limit=1001"))).toMatchObject({ status: 400, details: { limit: "Must be at most 1000" } });
    expect(await errorOf(await get(siteId, "?limit=ten"))).toMatchObject({ status: 400, details: { limit: "Must be a number" } });
    expect(await errorOf(await get(siteId, "?clientIp=300.1.1.1"))).toMatchObject({
      status: 400,
      details: { clientIp: "Enter an IP address such as 203.0.113.7 or 2001:db8::1" },
    });
    const both = await errorOf(await get(siteId, "?method=G%20ET&status=999"));
    expect(Object.keys(both.details).sort()).toEqual(["method", "status"]);
  });

  it("says what blocked accepts", async () => {
    for (const value of ["yes", "on", "2"]) {
      expect(await errorOf(await get(siteId, `?blocked=${value}`))).toMatchObject({
        status: 400,
        code: "validation_failed",
        details: { blocked: "Use 1 or true for blocked requests only, 0 or false for every request" },
      });
    }
    // An empty value means "any", like the other filters; a good one goes on to the proxy.
    expect((await errorOf(await get(siteId, "?blocked="))).message).toMatch(/^The proxy is not running/);
    expect((await errorOf(await get(siteId, "?blocked=1"))).message).toMatch(/^The proxy is not running/);
  });

  it("answers only the blocked requests with blocked=1, each with what blocked it", async () => {
    const rings = new AccessLogRings({ ringSize: 2 });
    control = await startControlServer(0, { onReload: () => undefined, preflight: async () => [], accessLog: rings });
    process.env.PROXY_CONTROL_PORT = String((control.address() as AddressInfo).port);
    const base = { siteId, host: "blog.example.com", latencyMs: 0.2, bytesIn: 90, bytesOut: 0, userAgent: "sqlmap/1.8", clientIp: "192.0.2.66" };
    const at = (second: number) => Date.UTC(2026, 0, 1, 12, 0, second);
    rings.add([
      { ...base, time: at(0), method: "GET", path: "/?id=1%20union%20select", status: 403, blockedBy: "exploit:sqli-union-select" },
      { ...base, time: at(1), method: "GET", path: "/", status: 429, blockedBy: "rate-limit" },
      // Ordinary traffic fills the main ring (2 entries) after them.
      { ...base, time: at(2), method: "GET", path: "/a", status: 200, userAgent: "ua", clientIp: "192.0.2.1" },
      { ...base, time: at(3), method: "GET", path: "/b", status: 200, userAgent: "ua", clientIp: "192.0.2.1" },
    ]);
    const all = (await (await get(siteId)).json()) as { entries: { path: string; blockedBy?: string }[]; total: number };
    expect(all.entries.map((row) => row.path)).toEqual(["/b", "/a"]);
    expect(all.entries.some((row) => "blockedBy" in row)).toBe(false);

    const response = await get(siteId, "?blocked=1");
    expect(response.status).toBe(200);
    const blocked = (await response.json()) as { entries: { path: string; status: number; blockedBy?: string }[]; total: number };
    expect(blocked.total).toBe(2);
    expect(blocked.entries.map(({ path, status, blockedBy }) => ({ path, status, blockedBy }))).toEqual([
      { path: "/", status: 429, blockedBy: "rate-limit" },
      { path: "/?id=1%20union%20select", status: 403, blockedBy: "exploit:sqli-union-select" },
    ]);
    expect(await (await get(siteId, "?blocked=true&status=403")).json()).toMatchObject({
      total: 1,
      entries: [{ blockedBy: "exploit:sqli-union-select" }],
    });
  });

  it("answers 404 for a site that does not exist", async () => {
    expect(await errorOf(await get("no-such-site"))).toMatchObject({ status: 404, code: "not_found", message: "Site was not found" });
  });

  it("says the proxy is not running when it cannot be asked", async () => {
    const failure = await errorOf(await get(siteId));
    expect(failure.status).toBe(500);
    expect(failure.message).toMatch(/^The proxy is not running/);
  });

  it("answers the entries the proxy holds, filtered, with ISO times", async () => {
    const rings = new AccessLogRings({ ringSize: 10 });
    control = await startControlServer(0, { onReload: () => undefined, preflight: async () => [], accessLog: rings });
    process.env.PROXY_CONTROL_PORT = String((control.address() as AddressInfo).port);
    const base = { siteId, host: "blog.example.com", latencyMs: 3, bytesIn: 90, bytesOut: 400, userAgent: "ua" };
    rings.add([
      { ...base, time: Date.UTC(2026, 0, 1, 12, 0, 0), method: "GET", path: "/a", status: 200, clientIp: "192.0.2.1" },
      { ...base, time: Date.UTC(2026, 0, 1, 12, 0, 1), method: "GET", path: "/b", status: 404, clientIp: "192.0.2.2" },
    ]);
    const response = await get(siteId, "?status=404&method=get&path=%2Fb&clientIp=192.0.2.2&limit=5&status=");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      entries: [
        {
          time: "2026-01-01T12:00:01.000Z",
          method: "GET",
          host: "blog.example.com",
          path: "/b",
          status: 404,
          latencyMs: 3,
          bytesIn: 90,
          bytesOut: 400,
          clientIp: "192.0.2.2",
          userAgent: "ua",
        },
      ],
      total: 1,
    });
  });
});
