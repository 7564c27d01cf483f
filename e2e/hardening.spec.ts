import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { startProduct, type RunningProduct } from "./support/product";

/**
 * The dashboard against what an attacker or a slip of the hand sends: clear 4xx answers, never
 * 500, and a stranger who guesses passwords slows down only themselves.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
const admin = { email: "ops@example.com", password: "a long scripted password" };

test.beforeAll(async () => {
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
});
test.afterAll(async () => {
  await product?.stop();
});

/** Signs in through the form, with the server action's body replaced on its way out. */
async function signInWithBody(page: Page, rewrite: (body: Buffer) => Buffer) {
  await page.goto(`${product.dashboardUrl}/login`);
  await page.route("**/login", (route) => {
    const request = route.request();
    if (request.method() !== "POST" || request.headers()["next-action"] === undefined) return route.continue();
    return route.continue({ postData: rewrite(request.postDataBuffer() ?? Buffer.alloc(0)) });
  });
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  const answer = page.waitForResponse((response) => response.request().method() === "POST" && response.url().endsWith("/login"));
  await page.getByRole("button", { name: /sign in/i }).click();
  return answer;
}

test("a server action with a garbage body gets 400", async ({ page }) => {
  const response = await signInWithBody(page, () => Buffer.from("garbage{"));
  expect(response.status()).toBe(400);
  expect(await response.text()).toMatch(/reload the page/);
});

test("a server action with a truncated body gets 400", async ({ page }) => {
  const response = await signInWithBody(page, (body) => body.subarray(0, Math.floor(body.length / 2)));
  expect(response.status()).toBe(400);
});

test("the same action with its body intact signs in", async ({ page }) => {
  const response = await signInWithBody(page, (body) => body);
  expect(response.status()).toBe(200);
  await expect(page).toHaveURL(`${product.dashboardUrl}/`);
});

test("password guesses from one address do not keep the admin out of the sign-in form", async ({ page }) => {
  // The dashboard's server believes X-Forwarded-For from loopback (the product's own proxy).
  const guesses = await Promise.all(
    Array.from({ length: 12 }, () =>
      fetch(`${product.dashboardUrl}/api/v1/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.50" },
        body: JSON.stringify({ email: admin.email, password: "a wrong guess", name: "x" }),
      }).then((response) => response.status),
    ),
  );
  expect(guesses.filter((status) => status === 429).length).toBeGreaterThan(0);
  expect(guesses.every((status) => status === 401 || status === 429)).toBe(true);

  await page.goto(`${product.dashboardUrl}/login`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(`${product.dashboardUrl}/`);
});

test("Settings warns while the trusted proxies trust everyone", async ({ page }) => {
  await signIn(page);
  await page.goto(`${product.dashboardUrl}/settings`);
  await expect(page.getByTestId("trusted-proxies-warning")).toHaveCount(0);
  await page.getByLabel("Trusted addresses and ranges").fill("0.0.0.0/0");
  await page.getByRole("button", { name: "Save trusted proxies" }).click();
  await expect(page.getByTestId("trusted-proxies-saved")).toBeVisible();
  await expect(page.getByTestId("trusted-proxies-warning")).toContainText("0.0.0.0/0 trusts every address");
  await page.getByLabel("Trusted addresses and ranges").fill("");
  await page.getByRole("button", { name: "Save trusted proxies" }).click();
  await expect(page.getByTestId("trusted-proxies-warning")).toHaveCount(0);
});

/** The proxy's answer to a hostname no site has: its status and Location, or "dropped". */
function unknownHostAnswer(): Promise<string> {
  return new Promise((resolve) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, headers: { host: "nobody.test" }, agent: false }, (response) => {
        response.resume();
        resolve(`${response.statusCode} ${response.headers.location ?? ""}`.trim());
      })
      .on("error", () => resolve("dropped"));
  });
}

test("Settings: unknown addresses refuse a redirect without a web address at the field, and the proxy follows each choice", async ({ page }) => {
  await signIn(page);
  await page.goto(`${product.dashboardUrl}/settings`);
  const section = page.getByTestId("unknown-host-settings");
  const address = section.getByLabel("Send them to");
  await expect(section.getByRole("radio", { name: /Show a “not found” page/ })).toBeChecked();
  await expect(address).toBeHidden();

  await section.getByRole("radio", { name: /Send visitors to another address/ }).check();
  await section.getByRole("button", { name: "Save" }).click();
  await expect(address).toHaveAttribute("aria-invalid", "true");
  await expect(section.getByText("Enter the address to send visitors to, like https://www.example.com")).toBeVisible();
  await address.fill("ftp://files.example.com");
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByText("Enter a URL that starts with http:// or https://")).toBeVisible();
  expect(await unknownHostAnswer()).toBe("404");

  await address.fill("https://www.example.com/welcome");
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByTestId("unknown-host-saved")).toBeVisible();
  await expect(address).not.toHaveAttribute("aria-invalid");
  await expect.poll(unknownHostAnswer).toBe("302 https://www.example.com/welcome");

  await section.getByRole("radio", { name: /Give no answer at all/ }).check();
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByTestId("unknown-host-saved")).toContainText("no answer at all");
  await expect.poll(unknownHostAnswer).toBe("dropped");
  await page.reload();
  await expect(page.getByTestId("unknown-host-settings").getByRole("radio", { name: /Give no answer at all/ })).toBeChecked();

  await page
    .getByTestId("unknown-host-settings")
    .getByRole("radio", { name: /Show a “not found” page/ })
    .check();
  await page.getByTestId("unknown-host-settings").getByRole("button", { name: "Save" }).click();
  await expect.poll(unknownHostAnswer).toBe("404");
});

test("the site form refuses an upstream that is the dashboard itself, next to the field", async ({ page }) => {
  await signIn(page);
  await page.goto(`${product.dashboardUrl}/sites/new`);
  await page.getByLabel("Site name").fill("Loop");
  await page.getByLabel("Hostnames").fill("loop.test");
  await page.getByRole("tab", { name: "Upstreams and health" }).click();
  await page.getByLabel("Upstream servers").fill(product.dashboardUrl);
  await expect(page.getByLabel("Allow link-local upstreams")).not.toBeChecked();
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.getByText(/own dashboard .*back to itself/)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`^${product.dashboardUrl}/sites/new(\\?tab=upstreams)?$`));
});

async function signIn(page: Page) {
  await page.goto(`${product.dashboardUrl}/login`);
  if (!page.url().endsWith("/login")) return;
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(`${product.dashboardUrl}/`);
}
