import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { readdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cacheDir } from "@/lib/env/paths";
import { primaryKey } from "@/proxy/cache/cache-key";
import { entryId } from "@/proxy/cache/stored-answer";
import { createSite, getSite } from "@/lib/services/sites";
import { trafficSeries } from "@/lib/services/traffic";
import { purgeSiteCache } from "@/lib/services/cache-purge";
import { useTempDatabase } from "@/test-support/database";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";

/**
 * The cache across the proxy's workers and restarts: a crowd of clients on their own connections
 * (spread over both workers) costs the upstream one request; the disk budget evicts; the files
 * serve again after a restart; the Traffic page counts hits, misses and bytes saved.
 */
const SLOW_MS = 300;
const BIG = "x".repeat(400 * 1024);

let cleanup: () => Promise<void>;
let proxy: ProxyProcess;
let upstream: http.Server;
const seen = new Map<string, number>();
let siteId: string;
let smallSiteId: string;

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  upstream = http.createServer((req, res) => {
    const url = req.url ?? "";
    seen.set(url, (seen.get(url) ?? 0) + 1);
    const answer = () =>
      res.writeHead(200, { "content-type": "text/plain", "cache-control": "max-age=600" }).end(url.startsWith("/big") ? BIG : `answer for ${url}`);
    if (url.startsWith("/slow")) setTimeout(answer, SLOW_MS);
    else answer();
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreams = [{ url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` }];
  proxy = await start();
  siteId = (await addSite({ name: "crowd", hostnames: ["crowd.test"], cache: { enabled: true }, upstreams, healthCheck: { enabled: false } })).id;
  smallSiteId = (
    await addSite({
      name: "small",
      hostnames: ["small.test"],
      cache: { enabled: true, maxMemoryMb: 1, maxDiskMb: 1 },
      upstreams,
      healthCheck: { enabled: false },
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
  await cleanup?.();
});

async function start(): Promise<ProxyProcess> {
  const started = await startProxyProcess({ workers: 2, env: { TRAFFIC_FLUSH_MS: "200", TRAFFIC_WRITE_MS: "200" } });
  await eventually(
    () =>
      fetch(`http://127.0.0.1:${started.httpPort}/`).then(
        (response) => response.status,
        () => 0,
      ),
    (status) => status !== 0,
    { log: started.log },
  );
  return started;
}

async function addSite(input: unknown) {
  const site = await createSite(input);
  return eventually(
    () => getSite(site.id),
    (current) => current.status.applied,
    { log: () => proxy.log() },
  );
}

/** Each on a connection of its own: the workers take turns accepting them. */
function get(
  host: string,
  target: string,
  headers: OutgoingHttpHeaders = {},
  agent: http.Agent | false = false,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: proxy.httpPort, path: target, agent, headers: { host, ...headers } }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The file an answer that does not vary is kept in. */
const fileOf = (host: string, target: string) => entryId(primaryKey("http", host, target), "");

const filesOf = (id: string) => {
  try {
    return readdirSync(path.join(cacheDir(), id)).filter((name) => !name.endsWith(".tmp"));
  } catch {
    return [];
  }
};

it("sends one request upstream for 100 clients asking at once, whichever worker each reaches", async () => {
  const answers = await Promise.all(Array.from({ length: 100 }, () => get("crowd.test", "/slow/page")));
  expect(answers.every((answer) => answer.status === 200 && answer.body === "answer for /slow/page")).toBe(true);
  expect(seen.get("/slow/page")).toBe(1);
  expect(answers.filter((answer) => answer.headers["x-cache"] === "MISS")).toHaveLength(1);
});

it("counts hits, misses and the bytes the cache saved on the Traffic page's series", async () => {
  // One connection, one worker: another worker finds the answer only once its file is written.
  const sameWorker = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await get("crowd.test", "/counted", {}, sameWorker);
  for (let i = 0; i < 3; i++) expect((await get("crowd.test", "/counted", {}, sameWorker)).headers["x-cache"]).toBe("HIT");
  sameWorker.destroy();
  const totals = async () => {
    const now = Date.now();
    const points = await trafficSeries({ siteId, from: new Date(now - 3_600_000), to: new Date(now + 60_000), stepSeconds: 60 });
    return points.reduce(
      (sum, point) => ({ hits: sum.hits + point.cacheHits, misses: sum.misses + point.cacheMisses, saved: sum.saved + point.bytesSavedCache }),
      {
        hits: 0,
        misses: 0,
        saved: 0,
      },
    );
  };
  // The crowd: 1 miss and 99 hits; then 1 miss and 3 hits.
  const expected = { hits: 102, misses: 2, saved: 99 * "answer for /slow/page".length + 3 * "answer for /counted".length };
  await eventually(totals, (counted) => JSON.stringify(counted) === JSON.stringify(expected), { log: () => proxy.log() });
});

it("keeps a site's memory and files within its budgets, least recently used out first", async () => {
  // One worker (one connection): its half of 1 MB of memory holds one 400 KB answer, and 1 MB of disk two.
  const sameWorker = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (const target of ["/big/1", "/big/2", "/big/3"]) {
    await get("small.test", target, {}, sameWorker);
    // Each answer's file is written before the next is asked for.
    await eventually(
      async () => filesOf(smallSiteId),
      (files) => files.includes(fileOf("small.test", target)),
      { log: () => proxy.log() },
    );
  }
  await eventually(
    async () => filesOf(smallSiteId).length,
    (count) => count === 2,
    { log: () => proxy.log() },
  );
  expect(filesOf(smallSiteId)).not.toContain(fileOf("small.test", "/big/1"));
  // Out of memory but on disk: still a hit.
  expect((await get("small.test", "/big/2", {}, sameWorker)).headers["x-cache"]).toBe("HIT");
  expect((await get("small.test", "/big/1", {}, sameWorker)).headers["x-cache"]).toBe("MISS");
  sameWorker.destroy();
  expect(seen.get("/big/1")).toBe(2);
  expect(seen.get("/big/2")).toBe(1);
});

it("purges one URL, a path prefix, or everything, from every worker's memory and from disk", async () => {
  const targets = ["/p/a.css", "/p/b.css", "/q/c.css", "/q/d.css?v=2"];
  for (const target of targets) await get("crowd.test", target);
  const files = targets.map((target) => fileOf("crowd.test", target));
  await eventually(
    async () => filesOf(siteId),
    (present) => files.every((file) => present.includes(file)),
    { log: () => proxy.log() },
  );
  // Several connections: each worker has some of them in memory as well.
  for (let i = 0; i < 4; i++) for (const target of targets) expect((await get("crowd.test", target)).headers["x-cache"]).toBe("HIT");

  expect(await purgeSiteCache(siteId, { url: "http://crowd.test/q/d.css?v=2" })).toEqual({ purged: 1 });
  expect((await get("crowd.test", "/q/d.css?v=2")).headers["x-cache"]).toBe("MISS");
  expect(await purgeSiteCache(siteId, { prefix: "/p/" })).toEqual({ purged: 2 });
  for (const target of ["/p/a.css", "/p/b.css"]) expect((await get("crowd.test", target)).headers["x-cache"]).toBe("MISS");
  expect((await get("crowd.test", "/q/c.css")).headers["x-cache"]).toBe("HIT");
  // The answers fetched again are on disk before everything is purged: a purge does not wait for writes under way.
  await eventually(
    async () => filesOf(siteId),
    (present) => files.every((file) => present.includes(file)),
    { log: () => proxy.log() },
  );
  const all = await purgeSiteCache(siteId, {});
  expect(all.purged).toBeGreaterThanOrEqual(4);
  // A write still under way when the purge came is removed when it lands.
  await eventually(
    async () => filesOf(siteId),
    (files) => files.length === 0,
    { log: () => proxy.log() },
  );
  expect((await get("crowd.test", "/q/c.css")).headers["x-cache"]).toBe("MISS");
  expect(seen.get("/q/c.css")).toBe(2);
});

it("serves what is on disk after a restart without asking the upstream", async () => {
  await get("crowd.test", "/kept");
  const file = fileOf("crowd.test", "/kept");
  await eventually(
    async () => filesOf(siteId),
    (files) => files.includes(file),
    { log: () => proxy.log() },
  );
  await proxy.stop();
  proxy = await start();
  const again = await get("crowd.test", "/kept");
  expect(again.headers["x-cache"]).toBe("HIT");
  expect(again.body).toBe("answer for /kept");
  expect(seen.get("/kept")).toBe(1);
});
