import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { apiToken } from "./support/api-token";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { setupCodeFrom, startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/**
 * Exact messages, in a real Chromium against the product: the setup form reports every problem at
 * once, an internationalised hostname goes in as Unicode and is served as punycode, the
 * self-signed Domains field never turns "not a domain" into three names, and a throttled sign-in
 * says so at once. Serial: setup must come first and the throttling last (it locks this address).
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backend: PageBackend;
const admin = { email: "admin@example.com", password: "correct horse battery" };

test.beforeAll(async () => {
  backend = await startPageBackend("the bookshop");
  product = await startProduct();
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

/** GET / through the proxy with this Host header, straight from Node. */
function viaProxy(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, headers: { host } }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

test("the setup form reports a wrong code together with the other fields, and the password hint once", async ({ page }) => {
  await page.goto(`${product.dashboardUrl}/setup`);
  await expect(page.getByText("At least 10 characters.")).toHaveCount(1);
  await page.getByLabel("Setup code").fill("WRNG-CODE-HERE");
  await page.getByLabel("Email").fill("not an email");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("different");
  await page.getByRole("button", { name: "Create admin account" }).click();

  await expect(page.locator("#setup-code-error")).toHaveText(/This is not the code from the log/);
  await expect(page.locator("#setup-email-error")).toHaveText(/Enter a valid email address/);
  await expect(page.locator("#setup-password-error")).toHaveText(/Use at least 10 characters/);
  await expect(page.locator("#setup-confirm-password-error")).toHaveText(/not the same/);
  // The error says what the hint said: it is shown once, not twice.
  await expect(page.getByText(/at least 10 characters/i)).toHaveCount(1);

  // Only the code wrong: still said, beside nothing else.
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Confirm password").fill(admin.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.locator("#setup-code-error")).toHaveText(/This is not the code from the log/);
  await expect(page.locator("#setup-email-error")).toHaveCount(0);
  await expect(page.locator("#setup-password-error")).toHaveCount(0);

  await page.getByLabel("Setup code").fill(setupCodeFrom(product.log()));
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("an internationalised hostname is typed and shown in Unicode, stored and served as punycode", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/new`);
  await page.getByLabel("Site name").fill("Bookshop");
  await page.getByLabel("Hostnames").fill("bücher.example, www.bücher.example");
  await expect(page.getByTestId("hostnames-reading")).toHaveText("Read as 2 hostnames: bücher.example, www.bücher.example.");
  await page.getByRole("tab", { name: "Upstreams and health" }).click();
  await page.getByLabel("Upstream servers").fill(backend.url);
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page).toHaveURL(/\/sites\/[^/?]+\?created=1$/);
  const siteId = new URL(page.url()).pathname.split("/").pop();
  await expect(page.getByText("bücher.example, www.bücher.example").first()).toBeVisible();
  await expect(page.getByText("xn--bcher-kva")).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: "Hostnames" })).toHaveValue("bücher.example\nwww.bücher.example");

  await page.goto(`${product.dashboardUrl}/sites`);
  await expect(page.getByText("www.bücher.example", { exact: true })).toBeVisible();

  const token = await apiToken(product.dashboardUrl, admin);
  const response = await fetch(`${product.dashboardUrl}/api/v1/sites/${siteId}`, { headers: { authorization: `Bearer ${token}` } });
  expect(((await response.json()) as { hostnames: string[] }).hostnames).toEqual(["xn--bcher-kva.example", "www.xn--bcher-kva.example"]);

  await expect.poll(async () => (await viaProxy("xn--bcher-kva.example")).body, { timeout: 10_000 }).toContain("Hello from the bookshop");
});

test("a hostname punycode cannot encode gets its own message and nothing is saved", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/new`);
  await page.getByLabel("Site name").fill("Broken");
  await page.getByLabel("Hostnames").fill("xn--zz.example");
  await page.getByRole("tab", { name: "Upstreams and health" }).click();
  await page.getByLabel("Upstream servers").fill(backend.url);
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.locator("#site-hostnames-error")).toContainText('"xn--zz" is not a valid international name part');
  await expect(page.getByLabel("Site name")).toHaveValue("Broken");
});

test('the self-signed Domains field refuses "not a domain" by name and says how it read a list', async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/certificates/new?type=self-signed`);
  const domains = page.getByLabel("Domains");
  await expect(page.getByText("One per line, or separated by commas or spaces")).toBeVisible();

  await domains.fill("not a domain");
  await expect(page.getByTestId("domains-reading")).toHaveCount(0);
  await page.getByRole("button", { name: "Generate certificate" }).click();
  await expect(page.locator("#self-signed-domains-error")).toHaveText(/"not a domain" is not a hostname: it has a space/);

  await domains.fill("shop.bücher.example api.bücher.example,localhost");
  await expect(page.getByTestId("domains-reading")).toHaveText("Read as 3 domains: shop.bücher.example, api.bücher.example, localhost.");
  await page.getByRole("button", { name: "Generate certificate" }).click();
  await expect(page.getByText("shop.bücher.example, api.bücher.example, localhost").first()).toBeVisible();
  await expect(domains).toHaveValue("");
  await expect(page.getByTestId("domains-reading")).toHaveCount(0);
});

/** Submits the sign-in form and returns the message it shows. */
async function attempt(page: Page, password: string): Promise<string> {
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const message = page.getByTestId("login-error");
  await expect(message).toHaveText(/Wrong email or password|Too many attempts/);
  return (await message.textContent()) ?? "";
}

test("a throttled sign-in says so at once and for how long, then lets the right password in", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${product.dashboardUrl}/login`);
  await page.getByLabel("Email").fill(admin.email);
  const message = page.getByTestId("login-error");

  // Wrong passwords, waiting out each pause, until the next pause is several seconds long.
  let wrong = 0;
  while (wrong < 8) {
    const said = await attempt(page, "not my password");
    if (said.includes("Too many attempts")) {
      await expect(message).toHaveText("You can try again now.", { timeout: 20_000 });
    } else {
      wrong += 1;
    }
  }

  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  const started = Date.now();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(message).toHaveText(/^Too many attempts: try again in \d+ s\.$/, { timeout: 3_000 });
  expect(Date.now() - started).toBeLessThan(3_000);
  await expect(page.getByText("Wrong email or password")).toHaveCount(0);
  const first = Number(/in (\d+) s/.exec((await message.textContent()) ?? "")?.[1]);
  expect(first).toBeGreaterThan(1);
  // It counts down while the person waits.
  await expect.poll(async () => Number(/in (\d+) s/.exec((await message.textContent()) ?? "")?.[1] ?? 0)).toBeLessThan(first);
  await expect(message).toHaveText("You can try again now.", { timeout: 20_000 });

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});
