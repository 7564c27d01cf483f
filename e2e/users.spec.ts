import { expect, test } from "@playwright/test";
import { checkPageEverywhere } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/**
 * An admin manages people on /users: invites an operator (the link is shown once), the operator
 * sets a password in a browser of their own, the admin changes their role, is told in the row why
 * the last admin cannot step down or remove themselves, and removes the operator.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
const admin = { email: "admin@example.com", password: "a long admin password" };
const otto = { email: "otto@example.com", password: "otto's long password" };

test.beforeAll(async () => {
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
});

test.afterAll(async () => {
  await product?.stop();
});

const row = (page: import("@playwright/test").Page, email: string) => page.getByTestId("user-row").filter({ hasText: email });

test("invite an operator, who sets a password through the link; change the role; the last admin and oneself are refused in words; remove", async ({
  page,
  browser,
}) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();

  await page.getByLabel("Email").fill(otto.email);
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Invite" }).click();
  const shown = page.getByTestId("new-invite");
  await expect(shown).toContainText(`${otto.email} is invited`);
  const link = await page.getByLabel("Invite link").inputValue();
  expect(link).toMatch(new RegExp(`^${product.dashboardUrl}/invite/gki`));
  await expect(row(page, otto.email)).toContainText("Invited, link not used yet");
  await expect(row(page, otto.email)).toContainText("Two-factor off");
  // Shown once: after a reload the link is gone from the page.
  await page.reload();
  await expect(page.getByTestId("new-invite")).toHaveCount(0);

  const fresh = await browser.newContext();
  const invited = await fresh.newPage();
  await invited.goto(link);
  await invited.getByLabel("Password", { exact: true }).fill(otto.password);
  await invited.getByLabel("Confirm password").fill(otto.password);
  await invited.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(invited.getByRole("button", { name: "Sign out" })).toBeVisible();
  // An operator has no Users page in the menu, and no settings to change.
  const nav = invited.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "History" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await invited.goto(`${product.dashboardUrl}/settings`);
  await expect(invited.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(invited.getByRole("button", { name: /^Save/ })).toHaveCount(0);
  await fresh.close();

  await page.reload();
  await expect(row(page, otto.email)).not.toContainText("Invited, link not used yet");
  await expect(row(page, otto.email)).toContainText(/Last sign-in: (just now|\d+ seconds ago)/);

  await row(page, otto.email)
    .getByRole("combobox", { name: `Role of ${otto.email}` })
    .selectOption("viewer");
  await row(page, otto.email)
    .getByRole("button", { name: `Change role of ${otto.email}` })
    .click();
  await expect(row(page, otto.email).getByRole("status")).toHaveText(`${otto.email} is now a viewer.`);
  await page.reload();
  await expect(row(page, otto.email).getByRole("combobox", { name: `Role of ${otto.email}` })).toHaveValue("viewer");

  // The only admin: stepping down and removing oneself are refused here, not on an error page.
  await row(page, admin.email)
    .getByRole("combobox", { name: `Role of ${admin.email}` })
    .selectOption("operator");
  await row(page, admin.email)
    .getByRole("button", { name: `Change role of ${admin.email}` })
    .click();
  await expect(row(page, admin.email).getByTestId("row-error")).toHaveText("This is the last admin: make someone else an admin first");
  await row(page, admin.email)
    .getByRole("button", { name: `Remove ${admin.email}` })
    .click();
  await row(page, admin.email).getByRole("button", { name: "Confirm remove" }).click();
  await expect(row(page, admin.email).getByTestId("action-error")).toHaveText("You cannot remove yourself: ask another admin");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();

  await row(page, otto.email)
    .getByRole("button", { name: `Remove ${otto.email}` })
    .click();
  await row(page, otto.email).getByRole("button", { name: "Confirm remove" }).click();
  await expect(row(page, otto.email)).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("user-row")).toHaveCount(1);
  await expect(row(page, admin.email).getByRole("combobox", { name: `Role of ${admin.email}` })).toHaveValue("admin");
});

test("the users page reads well at every width, light and dark", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await checkPageEverywhere(page, `${product.dashboardUrl}/users`, async (ready) => {
    await expect(ready.getByRole("button", { name: "Invite" })).toBeVisible();
  });
});
