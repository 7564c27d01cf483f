import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { unusedPort } from "../test-support/backend";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { startProduct, type RunningProduct } from "./support/product";
import { apiToken } from "./support/api-token";
import { checkPageEverywhere } from "./support/page-checks";
import { productDatabase } from "./support/product-database";
import { signIn } from "./support/sign-in";

/** The traffic page draws the charts for traffic just sent through the proxy. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backend: PageBackend;
const admin = { email: "admin@example.com", password: "correct horse battery" };
const ids: Record<"live" | "broken" | "quiet" | "cached", string> = { live: "", broken: "", quiet: "", cached: "" };

test.beforeAll(async () => {
  backend = await startPageBackend("traffic backend");
  product = await startProduct({
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    TRAFFIC_WRITE_MS: "1000",
    TRAFFIC_FLUSH_MS: "500",
  });
  const token = await apiToken(product.dashboardUrl, admin);
  const create = async (name: string, hostname: string, upstream: string) => {
    const response = await fetch(`${product.dashboardUrl}/api/v1/sites`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ name, hostnames: [hostname], upstreams: [{ url: upstream }] }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  ids.live = await create("Live", "live.test", backend.url);
  // Nothing listens on this port: the proxy answers 5xx.
  ids.broken = await create("Broken", "broken.test", `http://127.0.0.1:${await unusedPort()}`);
  ids.quiet = await create("Quiet", "quiet.test", backend.url);
  // No request reaches it: its traffic rows are written by the last test, as the proxy would write them.
  ids.cached = await create("Cached", "cached.test", backend.url);
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

function viaProxy(host: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, path: "/", headers: { host } }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
      .on("error", () => resolve(0));
  });
}

/**
 * Sends `count` requests that the site answers (status passes `routed`); answers from before the
 * proxy knew the site (404 for an unknown host) are not the site's traffic and are not counted.
 */
async function send(host: string, count: number, routed: (status: number) => boolean): Promise<number[]> {
  const statuses: number[] = [];
  const deadline = Date.now() + 30_000;
  while (statuses.length === 0) {
    if (Date.now() > deadline) throw new Error(`The proxy never routed ${host}`);
    const status = await viaProxy(host);
    if (routed(status)) statuses.push(status);
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  while (statuses.length < count) statuses.push(await viaProxy(host));
  return statuses;
}

const series = (page: Page, chart: string, name: string) => page.getByTestId(chart).locator(`[data-series="${name}"]`);

test("the traffic page charts exactly the requests sent", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);

  const live = await send("live.test", 30, (status) => status === 200);
  expect(live.filter((status) => status !== 200)).toEqual([]);
  const broken = await send("broken.test", 5, (status) => status >= 500);
  expect(broken.filter((status) => status < 500)).toEqual([]);

  // A site without traffic shows the empty state.
  await page.goto(`${product.dashboardUrl}/traffic?site=${ids.quiet}&range=1h`);
  await expect(page.getByText("No traffic in this range yet")).toBeVisible();
  await expect(page.getByTestId("chart-requests")).toHaveCount(0);

  // Choosing a site in the selector keeps the range; the page refreshes by itself until the counts land.
  await page.getByRole("link", { name: "24 h" }).click();
  await expect(page).toHaveURL(/range=24h/);
  await page.getByLabel("Site").selectOption({ label: "Live" });
  await expect(page).toHaveURL(new RegExp(`site=${ids.live}&range=24h`));

  await page.goto(`${product.dashboardUrl}/traffic?site=${ids.live}&range=1h`);
  await expect(series(page, "chart-requests", "requests")).toHaveAttribute("data-total", "30", { timeout: 30_000 });
  await expect(series(page, "chart-status", "2xx")).toHaveAttribute("data-total", "30");
  for (const name of ["3xx", "4xx", "5xx"]) await expect(series(page, "chart-status", name)).toHaveAttribute("data-total", "0");
  await expect(series(page, "chart-latency", "p50")).toHaveAttribute("data-max", /^\d/);
  await expect(series(page, "chart-latency", "p99")).toBeAttached();
  const bytesOut = Number(await series(page, "chart-bandwidth", "bytesOut").getAttribute("data-total"));
  expect(bytesOut).toBeGreaterThan(30 * "<h1>Hello from traffic backend</h1>".length);
  // The site has no cache: none of its requests was one the cache could answer.
  await expect(page.getByTestId("cache-hit-ratio")).toContainText("No cacheable requests");
  await expect(page.getByTestId("cache-hit-ratio")).toHaveAttribute("data-hits", "0");
  await expect(series(page, "chart-bandwidth", "bytesSavedCache")).toHaveAttribute("data-total", "0");

  // The sites list draws each site's last hour in its row: the same 30 requests, and none for the quiet one.
  await page.goto(`${product.dashboardUrl}/sites`);
  const sparkline = (id: string) => page.locator(`[data-testid="site-row"][data-site-id="${id}"]`).getByTestId("sparkline");
  await expect(sparkline(ids.live)).toHaveAttribute("data-total", "30");
  await expect(sparkline(ids.live)).toHaveAccessibleName("Requests in the last hour: 30");
  await expect(sparkline(ids.quiet)).toHaveAccessibleName("No requests in the last hour");

  await page.goto(`${product.dashboardUrl}/traffic?site=${ids.broken}&range=1h`);
  await expect(series(page, "chart-requests", "requests")).toHaveAttribute("data-total", "5", { timeout: 30_000 });
  await expect(series(page, "chart-status", "5xx")).toHaveAttribute("data-total", "5");
  await expect(series(page, "chart-status", "2xx")).toHaveAttribute("data-total", "0");

  await page.goto(`${product.dashboardUrl}/traffic?range=1h`);
  await expect(series(page, "chart-requests", "requests")).toHaveAttribute("data-total", "35", { timeout: 30_000 });
  await expect(series(page, "chart-status", "2xx")).toHaveAttribute("data-total", "30");
  await expect(series(page, "chart-status", "5xx")).toHaveAttribute("data-total", "5");
  await page.screenshot({ path: "test-results/traffic.png", fullPage: true });
});

test("the traffic page shows a site's cache hit ratio and the bytes the cache and compression saved", async ({ page }) => {
  // Two minutes of a cached site's traffic, as the proxy's collector writes them.
  const database = await productDatabase(product);
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const row = (at: number, hits: number, misses: number, bytesSavedCache: number, bytesSavedCompression: number) => ({
    siteId: ids.cached,
    minute: new Date(at),
    requests: hits + misses + 1, // and one the cache did not take (a POST)
    status2xx: hits + misses + 1,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    bytesIn: 1000,
    bytesOut: 20_000,
    bytesSavedCompression: BigInt(bytesSavedCompression),
    cacheHits: hits,
    cacheMisses: misses,
    bytesSavedCache: BigInt(bytesSavedCache),
    latency: "{}",
  });
  await database.trafficMinute.createMany({
    data: [row(minute - 5 * 60_000, 5, 1, 4096, 1024), row(minute - 3 * 60_000, 1, 1, 2048, 1024)],
  });

  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/traffic?site=${ids.cached}&range=1h`);
  // 6 hits of 8 cacheable requests over the hour: 75%, not the mean of each minute's ratio.
  const ratio = page.getByTestId("cache-hit-ratio");
  await expect(ratio).toContainText("Cache hit ratio75%");
  await expect(ratio).toContainText("6 hits, 2 misses");
  await expect(page.getByTestId("bytes-saved-cache")).toContainText("6 KB");
  await expect(page.getByTestId("bytes-saved-compression")).toContainText("2 KB");
  await expect(series(page, "chart-bandwidth", "bytesSavedCache")).toHaveAttribute("data-total", "6144");
  await expect(series(page, "chart-bandwidth", "bytesSavedCompression")).toHaveAttribute("data-total", "2048");
  await expect(page.getByTestId("chart-bandwidth")).toContainText("Saved by the cache");

  // Another site's page knows nothing of it.
  await page.goto(`${product.dashboardUrl}/traffic?site=${ids.live}&range=1h`);
  await expect(page.getByTestId("cache-hit-ratio")).toContainText("No cacheable requests");

  await checkPageEverywhere(page, `${product.dashboardUrl}/traffic?site=${ids.cached}&range=1h`, async (ready) => {
    await expect(ready.getByTestId("cache-hit-ratio")).toContainText("75%");
  });
  await page.screenshot({ path: "test-results/traffic-cache.png", fullPage: true });
});

test("a stream is in the chooser, marked as one, and its page counts connections and their average duration instead of requests", async ({
  page,
}) => {
  const token = await apiToken(product.dashboardUrl, admin);
  const created = await fetch(`${product.dashboardUrl}/api/v1/streams`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: "Postgres",
      protocol: "tcp",
      listenPort: await unusedPort(),
      upstreams: [{ url: `127.0.0.1:${await unusedPort()}` }],
    }),
  });
  expect(created.status).toBe(201);
  const streamId = ((await created.json()) as { id: string }).id;
  // Two minutes of the stream's traffic, as the proxy's collector writes them: connections, no requests.
  const database = await productDatabase(product);
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const row = (at: number, connections: number, connectionMs: number) => ({
    siteId: streamId,
    minute: new Date(at),
    requests: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    bytesIn: 500,
    bytesOut: 7000,
    connections,
    connectionMs: BigInt(connectionMs),
    latency: "{}",
  });
  await database.trafficMinute.createMany({ data: [row(minute - 4 * 60_000, 3, 600), row(minute - 2 * 60_000, 1, 250)] });

  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/traffic?range=1h`);
  await page.getByLabel("Site").selectOption({ label: "Postgres · stream" });
  await expect(page).toHaveURL(new RegExp(`site=${streamId}`));
  await expect(series(page, "chart-connections", "connections")).toHaveAttribute("data-total", "4");
  // 600 ms over 3 connections, then 250 ms over 1: the larger average is 250 ms.
  await expect(series(page, "chart-connection-duration", "averageMs")).toHaveAttribute("data-max", "250");
  await expect(series(page, "chart-bandwidth", "bytesOut")).toHaveAttribute("data-total", "14000");
  await expect(page.getByTestId("chart-requests")).toHaveCount(0);
  await expect(page.getByTestId("chart-status")).toHaveCount(0);
  await expect(page.getByTestId("chart-latency")).toHaveCount(0);
  await expect(page.getByTestId("traffic-connections-note")).toBeVisible();

  // A site's page is unchanged: requests, not connections.
  await page.getByLabel("Site").selectOption({ label: "Live" });
  await expect(page).toHaveURL(new RegExp(`site=${ids.live}`));
  await expect(page.getByTestId("traffic-connections-note")).toHaveCount(0);
  await expect(page.getByTestId("chart-connections")).toHaveCount(0);
});
