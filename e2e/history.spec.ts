import http from "node:http";
import { expect, test } from "@playwright/test";
import { apiToken } from "./support/api-token";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { checkPageEverywhere } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/**
 * The change history as an admin uses it after a bad edit: the site's upstream was changed, the
 * history shows the old and new address, Undo puts the old one back and the proxy serves it again.
 * Filters narrow the list and stay in the address.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let first: PageBackend;
let second: PageBackend;
let siteId = "";
const admin = { email: "admin@example.com", password: "a long admin password" };
const HOST = "history.test";

test.beforeAll(async () => {
  [first, second] = await Promise.all([startPageBackend("first backend"), startPageBackend("second backend")]);
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  const token = await apiToken(product.dashboardUrl, admin);
  const response = await fetch(`${product.dashboardUrl}/api/v1/sites`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: "History shop", hostnames: [HOST], upstreams: [{ url: first.url }] }),
  });
  expect(response.status).toBe(201);
  siteId = ((await response.json()) as { id: string }).id;
});

test.afterAll(async () => {
  await product?.stop();
  await first?.close();
  await second?.close();
});

/** What the proxy answers for the site now. */
function served(): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port: product.httpPort, path: "/", headers: { host: HOST } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve(body));
    });
    request.on("error", reject);
  });
}

test("an upstream edit shows as a diff; Undo restores it and the proxy serves the old upstream again", async ({ page }) => {
  await expect.poll(served, { timeout: 15_000 }).toContain("Hello from first backend");
  await signIn(page, product.dashboardUrl, admin);

  await page.goto(`${product.dashboardUrl}/sites/${siteId}?tab=upstreams`);
  await page.getByLabel("Upstream servers").fill(second.url);
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  await expect.poll(served, { timeout: 15_000 }).toContain("Hello from second backend");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "History" }).click();
  const entries = page.getByTestId("history-entry");
  const edit = entries.first();
  await expect(edit).toContainText(`${admin.email} changed site History shop`);
  await expect(edit.getByRole("link", { name: "History shop" })).toHaveAttribute("href", `/sites/${siteId}`);
  const line = edit.getByTestId("diff-line").filter({ hasText: "upstreams.0.url" });
  await expect(line.locator("del")).toHaveText(first.url);
  await expect(line.locator("ins")).toHaveText(second.url);
  // The admin's sign-in is there too, and the site's creation through the API.
  await expect(entries.filter({ hasText: `${admin.email} signed in` }).first()).toBeVisible();
  await expect(entries.filter({ hasText: "created site History shop" })).toHaveCount(1);

  await edit.getByRole("button", { name: /^Undo/ }).click();
  await edit.getByRole("button", { name: "Confirm undo" }).click();
  await expect(page.getByTestId("action-done")).toContainText("Undone");
  await expect.poll(served, { timeout: 15_000 }).toContain("Hello from first backend");
  // The undo is itself the newest change, from the second address back to the first.
  await page.reload();
  const undo = entries.first().getByTestId("diff-line").filter({ hasText: "upstreams.0.url" });
  await expect(undo.locator("del")).toHaveText(second.url);
  await expect(undo.locator("ins")).toHaveText(first.url);
});

test("filters narrow the list and live in the address", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/history`);
  const entries = page.getByTestId("history-entry");
  const all = await entries.count();
  expect(all).toBeGreaterThanOrEqual(5);

  await page.getByLabel("Kind").selectOption("site");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/[?&]kind=site\b/);
  await expect(entries).toHaveCount(3);
  for (const text of await entries.allTextContents()) expect(text).toMatch(/ site History shop/);

  await page.getByLabel("Kind").selectOption("user");
  await page.getByLabel("Who").selectOption(admin.email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kind=user&who=admin%40example.com/);
  const signIns = await entries.count();
  expect(signIns).toBeGreaterThanOrEqual(2);
  for (const text of await entries.allTextContents()) expect(text).toContain(`${admin.email} signed in`);

  const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  await page.goto(`${product.dashboardUrl}/history?from=${tomorrow}`);
  await expect(page.getByLabel("From")).toHaveValue(tomorrow);
  await expect(entries).toHaveCount(0);
  await expect(page.getByText("Nothing in the history matches.")).toBeVisible();

  await page.goto(`${product.dashboardUrl}/history?from=not-a-date`);
  await expect(page.getByTestId("filter-error")).toContainText("Give from as a date and time");
  await page.getByRole("link", { name: "Show all" }).click();
  await expect(entries).toHaveCount(all);
});

test("the history page reads well at every width, light and dark", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await checkPageEverywhere(page, `${product.dashboardUrl}/history`, async (ready) => {
    await expect(ready.getByTestId("history-entry").first()).toBeVisible();
  });
});
