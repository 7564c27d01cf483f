import { expect, test } from "@playwright/test";
import { apiToken } from "./support/api-token";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/** "Why 404?": a user pastes addresses into Explain and reads, in plain words, what the proxy would do. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let shop: PageBackend;
const admin = { email: "admin@example.com", password: "correct horse battery" };

test.beforeAll(async () => {
  shop = await startPageBackend("shop");
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  const token = await apiToken(product.dashboardUrl, admin);
  const created = await fetch(`${product.dashboardUrl}/api/v1/sites`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: "Shop", hostnames: ["shop.test"], upstreams: [{ url: shop.url }], healthCheck: { enabled: false } }),
  });
  expect(created.status).toBe(201);
});

test.afterAll(async () => {
  await product?.stop();
  await shop?.close();
});

test("explains a request the proxy forwards, one for no site, and says what is wrong with a bad address", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.getByRole("link", { name: "Explain" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Explain a request" })).toBeVisible();

  const explanation = page.getByTestId("explanation");
  await page.getByLabel("Address", { exact: true }).fill(`http://shop.test:${product.httpPort}/cart?item=7`);
  await page.getByRole("button", { name: "Explain" }).click();
  await expect(explanation).toContainText("shop.test belongs to the site “Shop”.");
  await expect(explanation).toContainText("No route of the site takes this path");
  await expect(explanation).toContainText(`Sent to ${shop.url} as /cart?item=7; that server answers.`);

  await page.getByLabel("Address", { exact: true }).fill(`http://nobody.test:${product.httpPort}/`);
  await page.getByRole("button", { name: "Explain" }).click();
  await expect(explanation).toContainText("No site has the hostname nobody.test.");
  await expect(explanation).toContainText("The proxy answers 404 itself");

  await page.getByLabel("Address", { exact: true }).fill("shop.test/cart");
  await page.getByLabel("Visitor's address").fill("10.0.0.300");
  await page.getByRole("button", { name: "Explain" }).click();
  await expect(page.getByLabel("Address", { exact: true })).toHaveAccessibleDescription(/Write the full address a visitor would open/);
  await expect(page.getByLabel("Visitor's address")).toHaveAccessibleDescription(/IPv4 or IPv6/);
  // What was typed stays, to be corrected.
  await expect(page.getByLabel("Address", { exact: true })).toHaveValue("shop.test/cart");
});
