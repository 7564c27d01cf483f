import http from "node:http";
import tls from "node:tls";
import { expect, test, type Page } from "@playwright/test";
import { startProduct, type RunningProduct } from "./support/product";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { unusedPort } from "../test-support/backend";
import { startPebble, type Pebble } from "../test-support/pebble";
import type { NotificationPayload } from "../lib/notifications/events";
import { productDatabase } from "./support/product-database";
import { signIn } from "./support/sign-in";

/**
 * One-click Let's Encrypt in a real Chromium, against a real ACME server: Pebble, which resolves
 * every name to this machine through pebble-challtestsrv and fetches the HTTP-01 answers from the
 * proxy's HTTP port, exactly as Let's Encrypt would from port 80.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let pebble: Pebble;
let backend: PageBackend;
let receiver: http.Server;
let webhookUrl: string;
const events: NotificationPayload[] = [];
const admin = { email: "admin@example.com", password: "correct horse battery" };

test.beforeAll(async () => {
  backend = await startPageBackend("the shop");
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      events.push(JSON.parse(body) as NotificationPayload);
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

  const httpPort = await unusedPort();
  pebble = await startPebble({ httpPort });
  product = await startProduct(
    {
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      ACME_DIRECTORY_URL: pebble.directoryUrl,
      ACME_CA_FILE: pebble.caFile,
      DNS_SERVERS: pebble.dnsServer,
      ACME_POLL_MS: "250",
    },
    { httpPort },
  );
});

test.afterAll(async () => {
  await product?.stop();
  await pebble?.stop();
  await backend?.close();
  receiver?.close();
});

test.beforeEach(async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
});

function viaProxy(host: string): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, headers: { host } }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body, location: response.headers.location }));
      })
      .on("error", reject);
  });
}

/** A TLS handshake with SNI, trusting only Pebble's root: authorized means chained to it. */
async function handshake(servername: string): Promise<{ authorized: boolean; error: string | null; serial: string }> {
  const ca = await pebble.rootPem();
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port: product.httpsPort, servername, ca, rejectUnauthorized: false }, () => {
      resolve({
        authorized: socket.authorized,
        error: socket.authorizationError ? String(socket.authorizationError) : null,
        serial: socket.getPeerCertificate().serialNumber,
      });
      socket.end();
    });
    socket.on("error", reject);
  });
}

async function addSite(page: Page, name: string, hostnames: string[]) {
  await page.goto(`${product.dashboardUrl}/sites/new`);
  await page.getByLabel("Site name").fill(name);
  await page.getByLabel("Hostnames").fill(hostnames.join("\n"));
  await page.getByRole("tab", { name: "Upstreams and health" }).click();
  await page.getByLabel("Upstream servers").fill(backend.url);
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page).toHaveURL(/\/sites\/[^/?]+\?created=1$/);
  await page.getByRole("tab", { name: "HTTPS" }).click();
}

const eventsOf = (event: string) => events.filter((payload) => payload.event === event);

test("settings: the account email and a webhook, with a test delivery", async ({ page }) => {
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Account email").fill("ops@example.com");
  await page.getByLabel("Webhook URL (optional)").fill(webhookUrl);
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByTestId("webhook-test-result")).toHaveAttribute("data-ok", "true");
  expect(eventsOf("test")).toHaveLength(1);
});

test("one click: pre-flight, order, live progress, and HTTPS chained to the CA's root", async ({ page }) => {
  await addSite(page, "Shop", ["shop.test", "www.shop.test"]);
  await page.getByRole("button", { name: "Get Let's Encrypt certificate" }).click();
  const results = page.getByTestId("preflight-result");
  await expect(results).toHaveCount(2);
  await expect(results.nth(0)).toHaveAttribute("data-ok", "true");
  await expect(results.nth(1)).toHaveAttribute("data-ok", "true");

  await page.getByLabel("Force HTTPS once it is installed", { exact: true }).check();
  await page.getByRole("button", { name: "Order certificate" }).click();
  await expect(page.getByTestId("acme-installed")).toBeVisible({ timeout: 60_000 });
  const steps = page.getByTestId("progress-step");
  await expect(steps).toHaveCount(7); // account, order, 2 challenges, validation, issued, installed
  for (const step of await steps.all()) await expect(step).toHaveAttribute("data-state", "done");

  for (const name of ["shop.test", "www.shop.test"]) {
    expect(await handshake(name)).toMatchObject({ authorized: true, error: null });
  }
  const plain = await viaProxy("shop.test");
  expect(plain.status).toBe(301);
  expect(plain.location).toBe(`https://shop.test:${product.httpsPort}/`);
  await expect.poll(() => eventsOf("certificate.issued").length).toBe(1);
  expect(eventsOf("certificate.issued")[0]).toMatchObject({ domains: ["shop.test", "www.shop.test"], renewal: false });
});

test("a failing order says why in plain words, and the site keeps serving", async ({ page }) => {
  await addSite(page, "Broken", ["broken.test"]);
  await pebble.pointHost("broken.test", ["127.0.0.2"]); // DNS now points somewhere nothing listens

  await page.getByRole("button", { name: "Get Let's Encrypt certificate" }).click();
  const result = page.getByTestId("preflight-result");
  await expect(result).toHaveAttribute("data-ok", "false");
  await expect(result).toContainText("127.0.0.2");
  await page.getByRole("button", { name: "Order anyway" }).click();

  const failed = page.locator('[data-testid="progress-step"][data-state="failed"]');
  await expect(failed).toHaveCount(1, { timeout: 60_000 });
  await expect(failed).toContainText(/could not connect to broken\.test/i);
  await expect(page.getByTestId("progress-detail")).not.toBeEmpty();
  expect(await viaProxy("broken.test")).toMatchObject({ status: 200, body: expect.stringContaining("Hello from the shop") });
  await expect(page.getByTestId("certificate-failure-banner")).toContainText("broken.test");
});

test("a failed renewal keeps the old certificate serving, calls the webhook and shows a banner; Renew now recovers", async ({ page }) => {
  const database = await productDatabase(product);
  const shop = await database.certificate.findFirstOrThrow({ where: { name: "shop.test" } });
  const before = await handshake("shop.test");

  await pebble.pointHost("shop.test", ["127.0.0.2"]);
  await database.certificate.update({ where: { id: shop.id }, data: { renewAt: new Date(Date.now() - 1000) } });
  await expect.poll(() => eventsOf("certificate.renewal_failed").length, { timeout: 60_000 }).toBe(1);
  expect(eventsOf("certificate.renewal_failed")[0]).toMatchObject({ certificateId: shop.id, domains: ["shop.test", "www.shop.test"] });
  expect(await handshake("shop.test")).toMatchObject({ authorized: true, serial: before.serial });

  await page.goto(`${product.dashboardUrl}/sites`);
  const banner = page.getByTestId("certificate-failure-banner");
  await expect(banner.locator(`li[data-certificate-id="${shop.id}"]`)).toBeVisible();
  await page.screenshot({ path: "test-results/renewal-failed-banner.png", fullPage: true });

  // DNS fixed: renew by hand while HTTPS traffic keeps flowing, and none of it fails.
  await pebble.resetHost("shop.test");
  let done = false;
  const failures: string[] = [];
  const traffic = (async () => {
    while (!done) {
      const outcome = await handshake("shop.test").catch((error: Error) => ({ authorized: false, error: error.message, serial: "" }));
      if (!outcome.authorized) failures.push(outcome.error ?? "unauthorized");
    }
  })();
  await page.goto(`${product.dashboardUrl}/certificates/${shop.id}`);
  await page
    .getByRole("button", { name: /Renew now|Try again now/ })
    .first()
    .click();
  await expect.poll(async () => (await handshake("shop.test")).serial, { timeout: 60_000 }).not.toBe(before.serial);
  done = true;
  await traffic;
  expect(failures).toEqual([]);
  await page.goto(`${product.dashboardUrl}/sites`);
  await expect(banner.locator(`li[data-certificate-id="${shop.id}"]`)).toHaveCount(0);
});
