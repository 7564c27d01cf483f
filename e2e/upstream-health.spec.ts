import http from "node:http";
import { expect, test } from "@playwright/test";
import { startProduct, type RunningProduct } from "./support/product";
import { apiToken } from "./support/api-token";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { signIn } from "./support/sign-in";

/** Upstream health as a non-expert sees it: one of two servers goes down, traffic carries on, it comes back. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let first: PageBackend;
let second: PageBackend;
let siteId: string;
let token: string;
const admin = { email: "admin@example.com", password: "correct horse battery" };

test.beforeAll(async () => {
  [first, second] = await Promise.all([startPageBackend("server one"), startPageBackend("server two")]);
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  token = await apiToken(product.dashboardUrl, admin);
  const site = await fetch(`${product.dashboardUrl}/api/v1/sites`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: "Pair",
      hostnames: ["pair.test"],
      upstreams: [{ url: first.url }, { url: second.url }],
      healthCheck: { intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 },
    }),
  });
  expect(site.status).toBe(201);
  siteId = ((await site.json()) as { id: string }).id;
});

test.afterAll(async () => {
  await product?.stop();
  await Promise.all([first?.close(), second?.close()]);
});

function viaProxy(): Promise<number> {
  return new Promise((resolve) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, headers: { host: "pair.test" } }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
      .on("error", () => resolve(0));
  });
}

test("the site page shows an upstream going down and coming back, and visitors notice nothing", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/${siteId}?tab=upstreams`);

  const row = (backend: PageBackend) => page.locator(`[data-testid="upstream-row"][data-url="${backend.url}"]`);
  const dot = page.getByTestId("site-health").first();
  await expect(row(first)).toHaveAttribute("data-state", "up", { timeout: 20_000 });
  await expect(row(second)).toHaveAttribute("data-state", "up");
  await expect(dot).toHaveAttribute("data-health", "up");

  let done = false;
  const statuses: number[] = [];
  const traffic = (async () => {
    while (!done) statuses.push(await viaProxy());
  })();

  await first.stop();
  await expect(row(first)).toHaveAttribute("data-state", "down", { timeout: 20_000 });
  await expect(dot).toHaveAttribute("data-health", "degraded");
  await expect(row(second)).toHaveAttribute("data-state", "up");
  await page.screenshot({ path: "test-results/upstream-down.png", fullPage: true });

  await first.start();
  await expect(row(first)).toHaveAttribute("data-state", "up", { timeout: 20_000 });
  await expect(dot).toHaveAttribute("data-health", "up");
  await expect(row(first).getByTestId("health-timeline")).toBeVisible();
  done = true;
  await traffic;

  expect(statuses.length).toBeGreaterThan(20);
  expect(statuses.filter((status) => status !== 200)).toEqual([]);
});

test("the editor turns on counting error answers, and a save keeps the upstreams' ids", async ({ page }) => {
  const read = async () =>
    (await fetch(`${product.dashboardUrl}/api/v1/sites/${siteId}`, { headers: { authorization: `Bearer ${token}` } }).then((response) =>
      response.json(),
    )) as { name: string; passiveHealthCountsServerErrors: boolean; upstreams: Array<{ id: string; url: string }> };
  const before = await read();
  expect(before.passiveHealthCountsServerErrors).toBe(false);

  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/${siteId}`);
  await page.getByLabel("Site name").fill("Pair renamed");
  await page.getByRole("tab", { name: "Upstreams and health" }).click();
  await page.getByLabel("Count error answers against a server").check();
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();

  const after = await read();
  expect(after.name).toBe("Pair renamed");
  expect(after.passiveHealthCountsServerErrors).toBe(true);
  expect(after.upstreams).toEqual(before.upstreams.map(({ id, url }) => expect.objectContaining({ id, url })));
});
