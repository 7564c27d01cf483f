import { expect, test, type Page } from "@playwright/test";
import { startProduct, type RunningProduct } from "./support/product";

/** Requests no browser of ours would send, against the real dashboard: clear 4xx answers, never 500. */
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
