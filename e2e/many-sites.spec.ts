import { expect, test } from "@playwright/test";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { startProduct, type RunningProduct } from "./support/product";
import { apiToken } from "./support/api-token";
import { signIn } from "./support/sign-in";

/**
 * With more sites than a page shows, the dashboard's pages stay the same size: the overview lists
 * the first ten and links to the rest, the Sites page shows fifty at a time.
 */
test.describe.configure({ mode: "serial" });

const SITES = 60;
let product: RunningProduct;
let backend: PageBackend;
const admin = { email: "admin@example.com", password: "correct horse battery" };

test.beforeAll(async () => {
  backend = await startPageBackend("many sites backend");
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  const token = await apiToken(product.dashboardUrl, admin);
  for (let index = 0; index < SITES; index++) {
    const response = await fetch(`${product.dashboardUrl}/api/v1/sites`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        name: `Site ${String(index).padStart(2, "0")}`,
        hostnames: [`site-${index}.test`],
        upstreams: [{ url: backend.url }],
        healthCheck: { enabled: false },
      }),
    });
    expect(response.status).toBe(201);
  }
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

test("the overview lists ten sites and links to all of them; Sites shows fifty per page", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(product.dashboardUrl);
  await expect(page.getByRole("list", { name: "Sites" }).getByRole("listitem")).toHaveCount(10);

  await page.getByRole("link", { name: `All ${SITES} sites` }).click();
  await expect(page).toHaveURL(/\/sites$/);
  const rows = page.getByRole("list", { name: "Sites" }).getByRole("listitem");
  await expect(rows).toHaveCount(50);
  const pages = page.getByRole("navigation", { name: "sites pages" });
  await expect(pages).toContainText(`1–50 of ${SITES} sites`);
  await expect(pages.getByRole("link", { name: "Previous" })).toHaveCount(0);

  await pages.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/\/sites\?page=2$/);
  await expect(rows).toHaveCount(SITES - 50);
  await expect(pages).toContainText(`51–${SITES} of ${SITES} sites`);
  await expect(pages.getByRole("link", { name: "Next" })).toHaveCount(0);
  await expect(pages.getByRole("link", { name: "Previous" })).toBeVisible();
});
