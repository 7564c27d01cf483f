import http from "node:http";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { apiToken } from "./support/api-token";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/** Charts a person can read: values on hover, tap and keys, round tick times, units, and phones. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backend: PageBackend;
let siteId: string;
const admin = { email: "admin@example.com", password: "correct horse battery" };

test.beforeAll(async () => {
  backend = await startPageBackend("charts backend");
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, TRAFFIC_WRITE_MS: "1000", TRAFFIC_FLUSH_MS: "500" });
  const token = await apiToken(product.dashboardUrl, admin);
  const response = await fetch(`${product.dashboardUrl}/api/v1/sites`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: "Charted",
      hostnames: ["charted.test"],
      upstreams: [{ url: backend.url }],
      healthCheck: { intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 },
    }),
  });
  expect(response.status).toBe(201);
  siteId = ((await response.json()) as { id: string }).id;
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

function viaProxy(): Promise<number> {
  return new Promise((resolve) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, path: "/", headers: { host: "charted.test" } }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
      .on("error", () => resolve(0));
  });
}

/** Sends `count` requests the site answers, after waiting for the proxy to know the site. */
async function sendTraffic(count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await viaProxy()) !== 200) {
    if (Date.now() > deadline) throw new Error("The proxy never routed charted.test");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (let sent = 1; sent < count; sent += 1) expect(await viaProxy()).toBe(200);
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY = /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$/;

/** The tick labels a person sees under a chart (the set for the other width is hidden). */
async function visibleTicks(chart: Locator): Promise<string[]> {
  const ticks = chart.getByTestId("chart-tick");
  const labels: string[] = [];
  for (const tick of await ticks.all()) if (await tick.isVisible()) labels.push((await tick.textContent()) ?? "");
  return labels;
}

/** Every label is a round time: minutes a multiple of `minutes` (hours of `hours`), or a date at midnight. */
function expectRound(labels: string[], minutes: number, hours = 1) {
  expect(labels.length).toBeGreaterThanOrEqual(2);
  for (const label of labels) {
    if (DAY.test(label)) continue;
    expect(label).toMatch(CLOCK);
    const [h, m] = label.split(":").map(Number);
    expect(m! % minutes, `${label} is on a ${minutes}-minute step`).toBe(0);
    expect(h! % hours, `${label} is on a ${hours}-hour step`).toBe(0);
  }
}

/** Walks back with the keys from the newest point until the readout matches `wanted` (the last one with traffic). */
async function readoutAtLastTraffic(page: Page, chart: Locator, wanted: RegExp): Promise<string> {
  const plot = chart.getByTestId("chart-plot");
  await plot.focus();
  await page.keyboard.press("End");
  const readout = chart.getByTestId("chart-readout");
  for (let step = 0; step < 10; step += 1) {
    const text = (await readout.textContent()) ?? "";
    if (wanted.test(text)) return text;
    await page.keyboard.press("ArrowLeft");
  }
  return (await readout.textContent()) ?? "";
}

test("hovering, tapping or arrowing over a chart shows the values with units at a round time", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, product.dashboardUrl, admin);
  await sendTraffic(20);

  await page.goto(`${product.dashboardUrl}/traffic?site=${siteId}&range=1h`);
  const requests = page.getByTestId("chart-requests");
  await expect(requests.locator('[data-series="requests"]').first()).toHaveAttribute("data-total", "20", { timeout: 30_000 });

  // Tick labels are clock times on a round step (an hour at 1280 px: every 10 minutes), not 14:05 / 14:17.
  expectRound(await visibleTicks(requests), 10);
  const tickSize = await requests
    .getByTestId("chart-tick")
    .first()
    .evaluate((tick) => Number.parseFloat(getComputedStyle(tick).fontSize));
  expect(tickSize).toBeGreaterThanOrEqual(12);

  // Nothing is picked yet; the mouse over the newest minute shows its time and value with a unit.
  const readout = requests.getByTestId("chart-readout");
  await expect(readout).toContainText("Hover or tap the chart");
  const plot = requests.getByTestId("chart-plot");
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
  await expect(requests.getByTestId("chart-crosshair")).toBeVisible();
  await expect(readout.locator("time")).toHaveText(CLOCK);
  await expect(readout).toContainText(/\d+(\.\d+)? req\/min/);
  // Leaving the chart with the mouse clears the readout.
  await page.mouse.move(box.x + box.width / 2, box.y - 200);
  await expect(requests.getByTestId("chart-crosshair")).toHaveCount(0);

  // The keyboard reaches the same values; the minute with the traffic reads 20 req/min (all 20 in one
  // minute) or its share when the sending crossed a minute.
  const text = await readoutAtLastTraffic(page, requests, /range[1-9]\d* req\/min/);
  expect(text).toMatch(/^([01]\d|2[0-3]):[0-5]\d.*Requests in range[1-9]\d* req\/min$/);
  await expect(plot).toHaveAttribute("aria-valuetext", /^\d{2}:\d{2}: Requests in range [1-9]\d* req\/min$/);

  // Every chart's readout carries its unit.
  for (const [id, unit] of [
    ["chart-status", /2xx[1-9]\d* responses?/],
    ["chart-latency", /p50\d+(\.\d+)? ms/],
    ["chart-bandwidth", /Out[1-9][\d.]* (B|KB)/],
  ] as const) {
    const chart = page.getByTestId(id);
    expect(await readoutAtLastTraffic(page, chart, unit)).toMatch(unit);
  }
  // Value axes say their unit too.
  await expect(
    page
      .getByTestId("chart-latency")
      .getByText(/^\d+ ms$/)
      .first(),
  ).toBeAttached();
  await expect(
    page
      .getByTestId("chart-requests")
      .getByText(/^\d+(\.\d+)?\/min$/)
      .first(),
  ).toBeAttached();

  // A screen reader gets the values as a table.
  await expect(requests.getByRole("table", { name: "Requests per minute" })).toContainText("req/min");

  // A day: 6-hour ticks on the clock (00:00 shown as the date).
  await page.goto(`${product.dashboardUrl}/traffic?site=${siteId}&range=24h`);
  expectRound(await visibleTicks(page.getByTestId("chart-requests")), 60, 6);
  await page.screenshot({ path: "test-results/charts-1280.png", fullPage: true });

  // A tap on a phone shows the values too, and stays after the finger lifts.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${product.dashboardUrl}/traffic?site=${siteId}&range=1h`);
  const phone = page.getByTestId("chart-requests");
  expectRound(await visibleTicks(phone), 15);
  const phoneBox = (await phone.getByTestId("chart-plot").boundingBox())!;
  await phone.getByTestId("chart-plot").dispatchEvent("pointerdown", {
    pointerType: "touch",
    clientX: phoneBox.x + phoneBox.width - 2,
    clientY: phoneBox.y + phoneBox.height / 2,
  });
  await expect(phone.getByTestId("chart-readout")).toContainText(/req\/min/);

  // No chart is wider than the phone, and tick labels do not run into each other.
  for (const id of ["chart-requests", "chart-status", "chart-latency", "chart-bandwidth"]) {
    const chart = page.getByTestId(id);
    const size = await chart.evaluate((figure) => ({
      right: figure.getBoundingClientRect().right,
      scroll: figure.scrollWidth,
      client: figure.clientWidth,
    }));
    expect(size.right, `${id} fits in 390 px`).toBeLessThanOrEqual(390);
    expect(size.scroll, `${id} does not scroll sideways`).toBeLessThanOrEqual(size.client);
    const boxes: { x: number; width: number }[] = [];
    for (const tick of await chart.getByTestId("chart-tick").all()) if (await tick.isVisible()) boxes.push((await tick.boundingBox())!);
    boxes.forEach((tickBox, index) => {
      if (index > 0) expect(tickBox.x, `${id} tick ${index} clears the one before`).toBeGreaterThan(boxes[index - 1]!.x + boxes[index - 1]!.width);
    });
  }
  await page.screenshot({ path: "test-results/charts-390.png", fullPage: true });
});

test("the site page says what the uptime is computed over, and a healthy new server is not red", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/${siteId}`);
  const row = page.locator(`[data-testid="upstream-row"][data-url="${backend.url}"]`);
  await expect(row).toHaveAttribute("data-state", "up", { timeout: 20_000 });
  // Less than a day of history: the figure says over how long it was observed.
  await expect(row.getByTestId("upstream-uptime-basis")).toHaveText(/^Up over the \d+ (s|min) observed$/);
  // A server that is up (a check may have failed while everything started) is not shown as an outage.
  await expect(row.getByTestId("upstream-uptime")).toHaveText(/^\d+(\.\d)?%$/);
  await expect(row.getByTestId("upstream-uptime")).toHaveAttribute("data-tone", /^(green|amber)$/);
  // The timeline's labels are readable.
  const labelSize = await row
    .getByTestId("health-timeline")
    .getByText("now", { exact: true })
    .evaluate((label) => Number.parseFloat(getComputedStyle(label).fontSize));
  expect(labelSize).toBeGreaterThanOrEqual(12);
});
