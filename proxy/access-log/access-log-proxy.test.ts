import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askProxyGet } from "@/lib/config/control-client";
import { siteAccessLog } from "@/lib/services/access-log";
import { createSite, getSite } from "@/lib/services/sites";
import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import { countedRequest, type CountedResponse } from "@/test-support/counting-client";
import { useTempDatabase } from "@/test-support/database";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";
import { startTrafficBackend } from "@/test-support/traffic-backend";

/**
 * The access log end to end: the real proxy process (primary + two workers) with a real SQLite
 * file and a real backend; requests through the proxy, answers from its control port and lines
 * in its JSON file (rotated small on purpose).
 */
const MAX_BYTES = 1_000;

let cleanup: () => Promise<void>;
let proxy: ProxyProcess;
let backend: Awaited<ReturnType<typeof startTrafficBackend>>;
let logDir: string;
let logFile: string;
let blog: string;
let shop: string;

interface Page {
  entries: AccessLogEntry[];
  total: number;
}
const ask = (siteId: string, query = "") => askProxyGet<Page>(`/access-log?siteId=${siteId}${query}`);

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  backend = await startTrafficBackend();
  logDir = mkdtempSync(path.join(os.tmpdir(), "gk-access-"));
  logFile = path.join(logDir, "logs", "access.log");
  proxy = await startProxyProcess({
    workers: 2,
    env: { TRAFFIC_FLUSH_MS: "200", ACCESS_LOG_FILE: logFile, ACCESS_LOG_MAX_BYTES: String(MAX_BYTES), ACCESS_LOG_MAX_FILES: "5" },
  });
  blog = (await createSite({ name: "Blog", hostnames: ["blog.test"], upstreams: [{ url: backend.url }] })).id;
  shop = (await createSite({ name: "Shop", hostnames: ["shop.test"], upstreams: [{ url: backend.url }] })).id;
  // Applied is recorded once every worker serves the sites (one worker serving is not enough).
  await eventually(
    async () => [(await getSite(blog)).status.applied, (await getSite(shop)).status.applied],
    (a) => a.every(Boolean),
    {
      log: proxy.log,
    },
  );
});

afterAll(async () => {
  await proxy?.stop();
  await backend?.close();
  await cleanup?.();
  if (logDir) rmSync(logDir, { recursive: true, force: true });
});

describe("the access log of the running proxy", () => {
  it("records a mix of requests exactly, answers filtered queries, and writes the file", { timeout: 60_000 }, async () => {
    const started = Date.now();
    const send = async (host: string, pathname: string, method = "GET", extra: { body?: string; userAgent?: string } = {}) => {
      const response = await countedRequest({
        port: proxy.httpPort,
        host,
        path: pathname,
        method,
        body: extra.body,
        headers: extra.userAgent ? { "user-agent": extra.userAgent } : {},
      });
      // Distinct milliseconds, so that "newest first" has one right answer across both workers.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return response;
    };
    const sent: Array<{ path: string; method: string; status: number; userAgent: string; response: CountedResponse }> = [];
    for (const [pathname, method, body, userAgent] of [
      ["/status/200?page=1", "GET", undefined, "probe/1"],
      ["/status/404", "GET", undefined, ""],
      ["/status/201", "POST", "name=value", "probe/2"],
      ["/status/404?from=form", "POST", "x".repeat(100), ""],
      ["/size/300", "GET", undefined, "probe/1"],
    ] as const) {
      const response = await send("blog.test", pathname, method, { body, userAgent });
      sent.push({ path: pathname, method, status: Number(/\/status\/(\d+)/.exec(pathname)?.[1] ?? 200), userAgent, response });
    }
    expect(sent.map((s) => s.response.status)).toEqual([200, 404, 201, 404, 200]);
    await send("shop.test", "/shop-only");
    expect((await send("nobody.test", "/unrouted")).status).toBe(404);

    const all = await eventually(
      () => ask(blog),
      (page) => page.total >= 5,
      { log: proxy.log },
    );
    const expected = [...sent].reverse().map((s) => ({
      siteId: blog,
      method: s.method,
      host: "blog.test",
      path: s.path,
      status: s.status,
      bytesIn: s.response.bytesSent,
      bytesOut: s.response.bytesReceived,
      clientIp: "127.0.0.1",
      userAgent: s.userAgent,
    }));
    expect(all.total).toBe(5);
    expect(all.entries.map(({ time: _time, latencyMs: _latency, ...rest }) => rest)).toEqual(expected);
    for (const entry of all.entries) {
      expect(entry.time).toBeGreaterThanOrEqual(started - 1_000);
      expect(entry.time).toBeLessThanOrEqual(Date.now());
      expect(entry.latencyMs).toBeGreaterThan(0);
    }

    const paths = (page: Page) => page.entries.map((entry) => entry.path);
    expect(paths(await ask(blog, "&status=404"))).toEqual(["/status/404?from=form", "/status/404"]);
    expect(paths(await ask(blog, "&status=2xx"))).toEqual(["/size/300", "/status/201", "/status/200?page=1"]);
    expect(paths(await ask(blog, "&method=POST"))).toEqual(["/status/404?from=form", "/status/201"]);
    expect(paths(await ask(blog, "&path=%3F"))).toEqual(["/status/404?from=form", "/status/200?page=1"]);
    expect(paths(await ask(blog, "&status=4xx&method=GET"))).toEqual(["/status/404"]);
    expect((await ask(blog, "&clientIp=127.0.0.1")).total).toBe(5);
    expect(await ask(blog, "&clientIp=10.0.0.1")).toEqual({ entries: [], total: 0 });
    const limited = await ask(blog, "&limit=2");
    expect({ paths: paths(limited), total: limited.total }).toEqual({ paths: ["/size/300", "/status/404?from=form"], total: 5 });
    expect(
      paths(
        await eventually(
          () => ask(shop),
          (page) => page.total === 1,
        ),
      ),
    ).toEqual(["/shop-only"]);
    // The dashboard's service reads the same, through the database's site and the control port.
    expect((await siteAccessLog(blog, { status: "404", method: "post" })).entries).toMatchObject([
      { path: "/status/404?from=form", time: new Date(all.entries[1]!.time).toISOString() },
    ]);

    // The JSON file: every entry as one line, in the live file and the rotated ones. Lines go in
    // as each worker hands over, so the two workers' lines interleave by hand-over, not by time.
    const readAll = () =>
      [5, 4, 3, 2, 1]
        .map((n) => `${logFile}.${n}`)
        .concat(logFile)
        .flatMap((file) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []));
    const lines = await eventually(
      async () => readAll(),
      (found) => found.filter((line) => line.includes(blog)).length === 5,
      {
        log: proxy.log,
      },
    );
    const written = lines.map((line) => JSON.parse(line) as { siteId: string; time: string }).filter((line) => line.siteId === blog);
    written.sort((a, b) => b.time.localeCompare(a.time));
    expect(written).toEqual(all.entries.map((entry) => ({ ...entry, time: new Date(entry.time).toISOString() })));
    expect(existsSync(`${logFile}.1`)).toBe(true);
    for (const file of [logFile, `${logFile}.1`]) {
      expect(statSync(file).size).toBeLessThanOrEqual(MAX_BYTES);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });
});
