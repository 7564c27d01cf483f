import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { WEBHOOK_EVENTS, type NotificationPayload } from "../lib/notifications/events";
import { inUseMessage } from "../lib/services/in-use";
import { unusedPort } from "../test-support/backend";
import { apiToken } from "./support/api-token";
import { expectNoSidewaysScroll } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";
import { productDatabase } from "./support/product-database";
import { signIn } from "./support/sign-in";

/**
 * Failed Let's Encrypt orders, certificates and access lists in use, and the webhook settings, in
 * a real Chromium against the real product. Orders fail for real: the ACME directory is a
 * loopback port where nothing listens, so the proxy's order runner is refused and backs off.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let token: string;
let receiver: http.Server;
const received: NotificationPayload[] = [];
const admin = { email: "admin@example.com", password: "a long admin password" };

test.beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push(JSON.parse(body) as NotificationPayload);
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const deadAcme = await unusedPort();
  product = await startProduct({
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    ACME_DIRECTORY_URL: `http://127.0.0.1:${deadAcme}/dir`,
    ACME_POLL_MS: "250",
  });
  token = await apiToken(product.dashboardUrl, admin);
});

test.afterAll(async () => {
  await product?.stop();
  receiver?.close();
});

test.beforeEach(async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${product.dashboardUrl}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

interface CertificateJson {
  id: string;
  name: string;
  status: string;
  lastError: string | null;
  nextAttemptAt: string | null;
}

async function failedOrder(domain: string): Promise<CertificateJson> {
  const created = await api<CertificateJson>("POST", "/certificates", { type: "acme", domains: [domain], email: "ops@example.com" });
  await expect.poll(async () => (await api<CertificateJson>("GET", `/certificates/${created.id}`)).status, { timeout: 60_000 }).toBe("failed");
  return api<CertificateJson>("GET", `/certificates/${created.id}`);
}

function selfSigned(domain: string): Promise<CertificateJson> {
  return api<CertificateJson>("POST", "/certificates", { type: "self-signed", domains: [domain] });
}

async function site(name: string, extra: Record<string, unknown>): Promise<{ id: string }> {
  const port = await unusedPort(); // a loopback port where nothing listens: the site need not serve here
  return api("POST", "/sites", { name, hostnames: [`${name.toLowerCase()}.test`], upstreams: [{ url: `http://127.0.0.1:${port}` }], ...extra });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const banner = (page: Page) => page.getByTestId("certificate-failure-banner");

test("a failed order is listed apart, not counted, states its error once with when the proxy tries again", async ({ page }) => {
  await selfSigned("cert.test");
  const order = await failedOrder("shop.test");
  expect(order.lastError).toMatch(/could not reach the ACME server/i);

  await page.goto(product.dashboardUrl);
  await expect(page.getByTestId("certificate-count")).toHaveText("1 certificate · 1 failed order");
  await expect(page.locator(`[data-testid="certificate-row"][data-certificate-id="${order.id}"]`)).toHaveCount(0);
  // The banner points to the order; the error itself is on the order's page only.
  await expect(banner(page)).toContainText("The Let's Encrypt order for “shop.test” failed.");
  await expect(banner(page)).not.toContainText(order.lastError ?? "");

  await page.getByTestId("certificate-count").getByRole("link", { name: "1 failed order" }).click();
  await expect(page).toHaveURL(/\/certificates#failed-orders$/);
  await expect(banner(page)).toHaveCount(0);
  const failedList = page.getByRole("list", { name: "Failed orders" });
  await expect(failedList.getByTestId("certificate-row")).toHaveCount(1);
  await expect(failedList).toContainText("shop.test");
  await expect(page.getByRole("list", { name: "Certificates" }).getByTestId("certificate-row")).toHaveCount(1);

  await failedList.getByRole("link", { name: "shop.test" }).click();
  await expect(page).toHaveURL(new RegExp(`/certificates/${order.id}$`));
  await expect(page.getByTestId("certificate-error")).toBeVisible();
  await expect(banner(page)).toHaveCount(0);
  const text = (await page.locator("main").textContent()) ?? "";
  expect(text.split(order.lastError ?? "").length - 1).toBe(1);
  const at = new Date(order.nextAttemptAt ?? "").toISOString().slice(11, 16);
  await expect(page.getByTestId("next-step")).toHaveText(
    `The proxy tries again by itself at ${at} UTC; once you have fixed the cause, “Try again now” does not wait.`,
  );
  await expect(page.locator("main")).not.toContainText(/order again|we retry automatically/i);
  await expect(page.getByRole("button", { name: "Try again now" })).toBeVisible();
  await page.screenshot({ path: "test-results/failed-order.png", fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page, "the failed order");
  await page.goto(`${product.dashboardUrl}/certificates`);
  await expectNoSidewaysScroll(page, "certificates");
  await page.goto(`${product.dashboardUrl}/access-lists`);
  await expect(banner(page)).toBeVisible();
  await expectNoSidewaysScroll(page, "access lists");
});

test("the banner is dismissed per failure, stays dismissed, and comes back for a new failure", async ({ page }) => {
  const shop = (await api<CertificateJson[]>("GET", "/certificates")).find((c) => c.name === "shop.test");
  await page.goto(`${product.dashboardUrl}/sites`);
  const entry = banner(page).locator(`li[data-certificate-id="${shop?.id}"]`);
  await expect(entry.getByRole("link", { name: "See why and what happens next" })).toHaveAttribute("href", `/certificates/${shop?.id}`);
  await entry.getByRole("button", { name: /^Dismiss/ }).click();
  await expect(banner(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sites" }).first()).toBeVisible();
  await expect(banner(page)).toHaveCount(0);

  // Another order fails: only it is shown.
  const blog = await failedOrder("blog.test");
  await page.goto(`${product.dashboardUrl}/settings`);
  await expect(banner(page).locator("li")).toHaveCount(1);
  await expect(banner(page).locator(`li[data-certificate-id="${blog.id}"]`)).toBeVisible();

  // The dismissed one fails differently: it comes back.
  const database = await productDatabase(product);
  await database.certificate.update({
    where: { id: shop?.id },
    data: { lastError: "A CAA record in the DNS of shop.test does not allow Let's Encrypt" },
  });
  await page.goto(`${product.dashboardUrl}/settings`);
  await expect(banner(page).locator(`li[data-certificate-id="${shop?.id}"]`)).toBeVisible();

  // Deleting the orders ends the banner.
  for (const id of [shop?.id, blog.id]) await api("DELETE", `/certificates/${id}`);
  await page.goto(`${product.dashboardUrl}/settings`);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(banner(page)).toHaveCount(0);
});

test("a certificate or access list in use names its sites instead of a delete button; a racing delete is refused and the bar closes", async ({
  page,
}) => {
  const used = await selfSigned("used.test");
  const spare = await selfSigned("spare.test");
  const office = await api<{ id: string }>("POST", "/access-lists", {
    name: "Office",
    allow: ["10.0.0.0/8"],
    deny: [],
    basicAuth: [],
    satisfy: "any",
  });
  const spareList = await api<{ id: string }>("POST", "/access-lists", {
    name: "Spare",
    allow: ["10.0.0.0/8"],
    deny: [],
    basicAuth: [],
    satisfy: "any",
  });
  const usedSite = await site("Used", { hostnames: ["used.test"], certificateId: used.id, accessListId: office.id });

  await page.goto(`${product.dashboardUrl}/certificates`);
  const usedRow = page.locator(`[data-testid="certificate-row"][data-certificate-id="${used.id}"]`);
  await expect(usedRow.getByTestId("in-use-by")).toHaveText("In use by Used: choose another certificate there first, then it can be deleted.");
  await expect(usedRow.getByTestId("in-use-by").getByRole("link", { name: "Used" })).toHaveAttribute("href", `/sites/${usedSite.id}`);
  await expect(usedRow.getByRole("button", { name: /Delete/ })).toHaveCount(0);
  await page.screenshot({ path: "test-results/certificate-in-use.png", fullPage: true });

  await page.goto(`${product.dashboardUrl}/certificates/${used.id}`);
  await expect(page.getByTestId("in-use-by")).toContainText("In use by Used");
  await expect(page.getByRole("button", { name: "Delete certificate" })).toHaveCount(0);

  await page.goto(`${product.dashboardUrl}/access-lists/${office.id}`);
  await expect(page.getByTestId("in-use-by")).toHaveText("In use by Used: choose another access list (or none) there first, then it can be deleted.");
  await expect(page.getByRole("button", { name: "Delete access list" })).toHaveCount(0);

  // A site starts using the spare certificate while its page is open: the server refuses, in the same words.
  await page.goto(`${product.dashboardUrl}/certificates/${spare.id}`);
  await page.getByRole("button", { name: "Delete certificate" }).click();
  await api("PATCH", `/sites/${usedSite.id}`, { certificateId: spare.id, hostnames: ["used.test"] });
  await page.getByRole("button", { name: "Confirm delete" }).click();
  // The page refreshes itself every few seconds: by then it may already show the sites instead.
  const refusal = page.getByTestId("action-error").or(page.getByTestId("in-use-by"));
  await expect(refusal.first()).toHaveText(
    new RegExp(
      `^(${escapeRegExp(inUseMessage("certificate", ["Used"]))}|In use by Used: choose another certificate there first, then it can be deleted\\.)$`,
    ),
  );
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await page.screenshot({ path: "test-results/in-use-refused.png" });
  expect((await api<CertificateJson>("GET", `/certificates/${spare.id}`)).name).toBe("spare.test");

  await page.goto(`${product.dashboardUrl}/access-lists/${spareList.id}`);
  await page.getByRole("button", { name: "Delete access list" }).click();
  await api("PATCH", `/sites/${usedSite.id}`, { accessListId: spareList.id });
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByTestId("action-error")).toHaveText(inUseMessage("accessList", ["Used"]));
  await expect(page.getByRole("alertdialog")).toHaveCount(0);

  // Nothing uses the first ones any more: now they can be deleted.
  await page.goto(`${product.dashboardUrl}/certificates/${used.id}`);
  await page.getByRole("button", { name: "Delete certificate" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByTestId("flash")).toHaveText("The certificate “used.test” was deleted.");
  await page.goto(`${product.dashboardUrl}/access-lists/${office.id}`);
  await page.getByRole("button", { name: "Delete access list" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByTestId("flash")).toHaveText("The access list “Office” was deleted.");
});

test("Settings lists every webhook event sent; a test result goes away when the URL changes", async ({ page }) => {
  await page.goto(`${product.dashboardUrl}/settings`);
  const events = page.getByRole("list", { name: "Events sent to the webhook" });
  for (const name of Object.keys(WEBHOOK_EVENTS))
    await expect(events.locator("code", { hasText: new RegExp(`^${name.replace(".", "\\.")}$`) })).toHaveCount(1);
  await expect(events.locator("li")).toHaveCount(Object.keys(WEBHOOK_EVENTS).length);
  await expect(events).toContainText("upstream.down");
  await expect(events).toContainText("upstream.recovered");

  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const field = page.getByLabel("Webhook URL");
  await field.fill(url);
  await page.getByRole("button", { name: "Send test" }).click();
  const result = page.getByTestId("webhook-test-result");
  await expect(result).toHaveText("✓ Delivered (HTTP 200)");
  expect(received.at(-1)).toMatchObject({ event: "test" });

  await field.press("End");
  await field.press("x");
  await expect(result).toHaveCount(0);
  await field.fill(url);
  await expect(result).toHaveCount(0);
});
