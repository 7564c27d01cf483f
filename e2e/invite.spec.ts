import { expect, test } from "@playwright/test";
import { apiToken } from "./support/api-token";
import { checkPageEverywhere } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";

/**
 * An invitation as people pass it on: an admin makes a link through the API, the invited person
 * opens it, chooses a password and is signed in with the role given; the link then stops working,
 * and what the role may not do is refused.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let token: string;
const admin = { email: "admin@example.com", password: "a long admin password" };

test.beforeAll(async () => {
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  token = await apiToken(product.dashboardUrl, admin);
});

test.afterAll(async () => {
  await product?.stop();
});

async function invite(email: string, role: string): Promise<string> {
  const response = await fetch(`${product.dashboardUrl}/api/v1/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ email, role }),
  });
  expect(response.status).toBe(201);
  const { inviteUrl } = (await response.json()) as { inviteUrl: string };
  // The link names the dashboard as the API was reached; the browser uses the same address.
  return new URL(new URL(inviteUrl).pathname, product.dashboardUrl).toString();
}

test("an invited viewer sets a password through the link, is signed in, and cannot change anything", async ({ page }) => {
  const link = await invite("vera@example.com", "viewer");
  await page.goto(link);
  await expect(page.getByText("You are invited as a viewer (read-only), to sign in as vera@example.com.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("vera's long password");
  await page.getByLabel("Confirm password").fill("something else entirely");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.locator("#invite-confirm-password-error")).toHaveText("The two passwords are not the same");

  await page.getByLabel("Confirm password").fill("vera's long password");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByText("vera@example.com").first()).toBeAttached();

  // The browser's session is a viewer's: reading works, changing is refused with the role it needs.
  const read = await page.request.get(`${product.dashboardUrl}/api/v1/sites`);
  expect(read.status()).toBe(200);
  const write = await page.request.post(`${product.dashboardUrl}/api/v1/sites`, {
    data: { name: "Nope", hostnames: ["nope.test"], upstreams: [{ url: "http://127.0.0.1:9" }] },
  });
  expect(write.status()).toBe(403);
  expect(((await write.json()) as { error: { message: string } }).error.message).toBe(
    "This needs an operator (sites, certificates, access lists, DNS providers); you are a viewer (read-only)",
  );

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();
});

test("the invite page reads well at every width, light and dark", async ({ page }) => {
  const link = await invite("otto@example.com", "operator");
  await checkPageEverywhere(page, link, async (ready) => {
    await expect(ready.getByRole("button", { name: "Set password and sign in" })).toBeVisible();
  });
});
