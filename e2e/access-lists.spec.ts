import { expect, test, type Page } from "@playwright/test";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/** An admin creates an access list with a user, fixes the mistakes the form points out, and edits it. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
const admin = { email: "admin@example.com", password: "a long admin password" };

test.beforeAll(async () => {
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
});

test.afterAll(async () => {
  await product?.stop();
});

test.beforeEach(async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
});

const userRow = (page: Page, index: number) => page.getByTestId("user-row").nth(index);

test("create an access list with a user, after fixing what the form points out", async ({ page }) => {
  await page.getByRole("link", { name: "Access lists" }).click();
  await page.getByRole("link", { name: "Add access list" }).click();
  await expect(page).toHaveURL(/\/access-lists\/new$/);

  await page.getByLabel("List name").fill("Office");
  await page.getByLabel("Allowed IP addresses").fill("10.0.0.0/8\n10.0.0.0/33");
  await userRow(page, 0).getByLabel("Username 1").fill("ann");
  await page.getByRole("button", { name: "Add access list" }).click();

  await expect(page.locator("#access-list-allow-error")).toContainText("Line 2");
  await expect(userRow(page, 0).getByRole("alert")).toContainText("Set a password for the new user");
  // Nothing typed is lost.
  await expect(page.getByLabel("List name")).toHaveValue("Office");
  await expect(userRow(page, 0).getByLabel("Username 1")).toHaveValue("ann");

  await page.getByLabel("Allowed IP addresses").fill("10.0.0.0/8");
  await userRow(page, 0).getByLabel("Password 1").fill("ann's long password");
  await page.getByLabel("Allowed addresses OR a login").check();
  await expect(page.getByTestId("rules-effect")).toHaveText(/get in directly; everyone else must log in/);
  await page.getByRole("button", { name: "Add access list" }).click();

  await expect(page).toHaveURL(/\/access-lists\/[^/?]+\?created=1$/);
  await expect(page.getByTestId("flash")).toBeVisible();
  await expect(userRow(page, 0).getByLabel("Password 1")).toHaveValue("");
  await expect(page.locator("body")).not.toContainText("scrypt");

  await page.getByRole("link", { name: "← Access lists" }).click();
  const row = page.getByTestId("access-list-row").filter({ hasText: "Office" });
  await expect(row.getByTestId("access-list-summary")).toHaveText("1 allowed, 0 denied, 1 user, satisfy any");
  await expect(row.getByTestId("access-list-usage")).toHaveText("Not used");
});

test("add a second user while the first keeps its password, then delete the list", async ({ page }) => {
  await page.goto(`${product.dashboardUrl}/access-lists`);
  await page.getByRole("link", { name: "Office" }).click();
  await page.getByRole("button", { name: "Add user" }).click();
  await userRow(page, 1).getByLabel("Username 2").fill("bob");
  await userRow(page, 1).getByLabel("Password 2").fill("bob's long password");
  await page.getByRole("button", { name: "Save access list" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  await expect(page.getByTestId("user-row")).toHaveCount(2);

  await page.getByRole("button", { name: "Delete access list" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page).toHaveURL(/\/access-lists\?deleted=Office$/);
  await expect(page.getByTestId("access-list-row")).toHaveCount(0);
});
