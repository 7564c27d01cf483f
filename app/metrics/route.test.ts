import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { useTempDatabase } from "@/test-support/database";
import { createFirstAdmin } from "@/lib/auth/users";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createCertificate } from "@/lib/services/certificates";
import { recordHeartbeat } from "@/lib/services/proxy-state";
import { createMetricsToken, disableMetrics } from "@/lib/services/settings";
import { createSite, getSite } from "@/lib/services/sites";
import { recordHealth } from "@/lib/services/upstream-health";
import { metricsHandler } from "@/proxy/metrics/control-route";
import { TrafficTotals } from "@/proxy/metrics/traffic-totals";
import * as statusRoute from "../api/v1/status/route";
import * as metricsRoute from "./route";

let cleanup: () => Promise<void>;
let apiToken: string;
let siteId: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: the proxy is "down"
  const admin = await createFirstAdmin("admin@example.com", "long enough pw");
  apiToken = (await createApiToken(admin, "deploy")).token;
  siteId = (
    await createSite({
      name: 'Blog "main"',
      hostnames: ["blog.example.com"],
      upstreams: [{ url: "http://10.0.0.5:8080" }, { url: "http://10.0.0.6:8080" }, { url: "http://10.0.0.7:8080" }],
    })
  ).id;
});
afterEach(() => cleanup());

function scrape(authorization?: string): Promise<Response> {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  return metricsRoute.GET(new NextRequest("http://dashboard.local/metrics", { headers }));
}

describe("GET /metrics", () => {
  it("is not there until it is enabled, and not there after it is disabled", async () => {
    expect((await scrape()).status).toBe(404);
    expect((await scrape(`Bearer ${apiToken}`)).status).toBe(404);
    const { token } = await createMetricsToken();
    expect((await scrape(`Bearer ${token}`)).status).toBe(200);
    await disableMetrics();
    expect((await scrape(`Bearer ${token}`)).status).toBe(404);
  });

  it("asks for the metrics token: none, a wrong one, an API token or an old one get 401", async () => {
    const old = (await createMetricsToken()).token;
    const { token } = await createMetricsToken();
    for (const authorization of [undefined, "Bearer gkm_wrong", `Bearer ${apiToken}`, `Bearer ${old}`, `Basic ${token}`]) {
      const response = await scrape(authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
      expect(await response.text()).not.toContain("gatekeeper_");
    }
  });

  it("the metrics token opens nothing in the API", async () => {
    const { token } = await createMetricsToken();
    const request = new NextRequest("http://dashboard.local/api/v1/status", { headers: { authorization: `Bearer ${token}` } });
    expect((await statusRoute.GET(request, { params: Promise.resolve({}) })).status).toBe(401);
  });

  it("serves the database gauges with the proxy down", async () => {
    const { token } = await createMetricsToken();
    const now = new Date();
    const [five, six] = (await getSite(siteId)).upstreams;
    await recordHealth(five!.id, { state: "up", checkedAt: now, latencyMs: 3, message: null });
    await recordHealth(six!.id, { state: "down", checkedAt: now, latencyMs: null, message: "refused" });
    const { certificate } = await createCertificate({
      type: "self-signed",
      name: "Blog cert",
      domains: ["blog.example.com", "www.blog.example.com"],
    });

    const response = await scrape(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    const site = `site_id="${siteId}",site="Blog \\"main\\""`;
    expect(text).toContain("gatekeeper_proxy_up 0\n");
    expect(text).toContain(`gatekeeper_site_enabled{${site}} 1\n`);
    expect(text).toContain(`gatekeeper_upstream_up{${site},upstream="http://10.0.0.5:8080"} 1\n`);
    expect(text).toContain(`gatekeeper_upstream_up{${site},upstream="http://10.0.0.6:8080"} 0\n`);
    expect(text).not.toContain("10.0.0.7"); // never checked: unknown, so absent
    const expiry = Math.floor(new Date(certificate.notAfter).getTime() / 1000);
    expect(text).toContain(
      `gatekeeper_certificate_expiry_timestamp_seconds{certificate_id="${certificate.id}",certificate="Blog cert",domains="blog.example.com,www.blog.example.com"} ${expiry}\n`,
    );
    expect(text).not.toContain("gatekeeper_requests_total");
  });

  it("adds the proxy's traffic counters, by site name, when the proxy answers", async () => {
    const { token } = await createMetricsToken();
    await recordHeartbeat({ workers: 2, httpPort: 80, httpsPort: 443 });
    const totals = new TrafficTotals(Date.UTC(2026, 0, 1));
    totals.add([
      { siteId, requests: 3, status2xx: 2, status3xx: 0, status4xx: 1, status5xx: 0, bytesIn: 300, bytesOut: 9000, latency: { 30: 3 } },
      { siteId: "deleted-site", requests: 1, status2xx: 1, status3xx: 0, status4xx: 0, status5xx: 0, bytesIn: 1, bytesOut: 1, latency: {} },
    ]);
    const route = metricsHandler(totals);
    const control = http.createServer((request, response) => void (route(request, response) || response.writeHead(404).end()));
    await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
    process.env.PROXY_CONTROL_PORT = String((control.address() as AddressInfo).port);
    try {
      const text = await (await scrape(`Bearer ${token}`)).text();
      const site = `site_id="${siteId}",site="Blog \\"main\\""`;
      expect(text).toContain("gatekeeper_proxy_up 1\n");
      expect(text).toContain(`gatekeeper_proxy_start_time_seconds ${Date.UTC(2026, 0, 1) / 1000}\n`);
      expect(text).toContain(`gatekeeper_requests_total{${site},class="2xx"} 2\n`);
      expect(text).toContain(`gatekeeper_requests_total{${site},class="4xx"} 1\n`);
      expect(text).toContain(`gatekeeper_response_bytes_total{${site}} 9000\n`);
      expect(text).toContain(`gatekeeper_request_duration_seconds_bucket{${site},le="0.005"} 3\n`); // bucket 30 is ~0.4 ms
      expect(text).toContain(`gatekeeper_request_duration_seconds_bucket{${site},le="+Inf"} 3\n`);
      expect(text).toContain(`gatekeeper_request_duration_seconds_count{${site}} 3\n`);
      expect(text).not.toContain("deleted-site");
      expect(text.match(/^# TYPE gatekeeper_requests_total counter$/gm)).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => control.close(() => resolve()));
    }
  });
});
