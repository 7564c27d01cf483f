import { expect, type Page, test } from "@playwright/test";
import { base32Decode, hotp, timeStep } from "@/lib/auth/totp";
import { checkPageEverywhere } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/**
 * Two-factor sign-in as a person uses it: turned on from the account page with the secret the
 * page shows (the test is the authenticator app), then sign-in asks for a code; recovery codes
 * work once; "Sign out everywhere" ends another browser's session too.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
const admin = { email: "admin@example.com", password: "a long admin password" };
let secret = "";
let recoveryCodes: string[] = [];

test.beforeAll(async () => {
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
});

test.afterAll(async () => {
  await product?.stop();
});

/** What the app shows `offset` steps from now: +1 is still accepted, and never a step used before. */
const appCode = (offset: number) => hotp(base32Decode(secret), timeStep(new Date()) + offset);

/** Email and password; two-factor sign-in then asks for a code on a page of its own. */
async function passwordStep(page: Page): Promise<void> {
  await page.goto(`${product.dashboardUrl}/login`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
}

async function codeStep(page: Page, code: string): Promise<void> {
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

test("turning on two-factor sign-in from the account page, then signing in with a code", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.getByRole("link", { name: admin.email }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByTestId("account-email")).toHaveText(admin.email);
  await expect(page.getByTestId("account-role")).toHaveText("You are an admin.");
  await expect(page.getByTestId("two-factor-state")).toHaveAttribute("data-enabled", "false");

  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code of the secret for your authenticator app" })).toBeVisible();
  secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel("2. Enter the 6-digit code the app shows").fill(appCode(3));
  await page.getByRole("button", { name: "Turn on", exact: true }).click();
  await expect(page.locator("#totp-confirm-code-error")).toContainText("That code does not match");

  await page.getByLabel("2. Enter the 6-digit code the app shows").fill(appCode(0));
  await page.getByRole("button", { name: "Turn on", exact: true }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  recoveryCodes = await codes.allTextContents();
  await expect(page.getByTestId("two-factor-state")).toHaveText("On. 10 of 10 recovery codes left.");
  await expect(page.getByRole("button", { name: "Download as text" })).toBeVisible();

  await signOut(page);
  await passwordStep(page);
  // The password alone made no session.
  await page.goto(`${product.dashboardUrl}/`);
  await expect(page).toHaveURL(/\/login$/);
  await passwordStep(page);
  await codeStep(page, "000000");
  await expect(page.getByTestId("login-error")).toHaveText("Wrong code: enter the 6-digit code from your authenticator app, or a recovery code");
  await codeStep(page, appCode(1));
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
});

test("a recovery code signs in once", async ({ page }) => {
  const [first = "", second = ""] = recoveryCodes;
  await passwordStep(page);
  await codeStep(page, first);
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await page.goto(`${product.dashboardUrl}/account`);
  await expect(page.getByTestId("two-factor-state")).toHaveText("On. 9 of 10 recovery codes left.");
  await signOut(page);

  await passwordStep(page);
  await codeStep(page, first);
  await expect(page.getByTestId("login-error")).toContainText("Wrong code");
  await codeStep(page, second);
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
});

test("sign out everywhere ends the session of another browser too", async ({ page, browser }) => {
  await passwordStep(page);
  await codeStep(page, recoveryCodes[2] ?? "");
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await passwordStep(otherPage);
  await codeStep(otherPage, recoveryCodes[3] ?? "");
  await expect(otherPage.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

  await page.goto(`${product.dashboardUrl}/account`);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await otherPage.goto(`${product.dashboardUrl}/sites`);
  await expect(otherPage).toHaveURL(/\/login$/);
  await other.close();
});

test("the account page and the code step read well at every width, light and dark", async ({ page }) => {
  await passwordStep(page);
  await checkPageEverywhere(page, `${product.dashboardUrl}/login/code`, async (ready) => {
    await expect(ready.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  });
  await codeStep(page, recoveryCodes[4] ?? "");
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await checkPageEverywhere(page, `${product.dashboardUrl}/account`, async (ready) => {
    await expect(ready.getByTestId("two-factor-state")).toBeVisible();
  });
});

test("an admin turns off two-factor sign-in for someone who lost their phone", async ({ page, browser }) => {
  const lost = { email: "lost.phone@example.com", password: "another long password" };
  await passwordStep(page);
  await codeStep(page, recoveryCodes[5] ?? "");
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await page.goto(`${product.dashboardUrl}/users`);
  await page.getByLabel("Email").fill(lost.email);
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Invite" }).click();
  const link = await page.getByLabel("Invite link").inputValue();

  // They accept the invite and turn two-factor sign-in on, with an app of their own.
  const theirs = await browser.newContext();
  const them = await theirs.newPage();
  await them.goto(link);
  await them.getByLabel("Password", { exact: true }).fill(lost.password);
  await them.getByLabel("Confirm password").fill(lost.password);
  await them.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(them.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await them.goto(`${product.dashboardUrl}/account`);
  await them.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const theirSecret = ((await them.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  await them.getByLabel("2. Enter the 6-digit code the app shows").fill(hotp(base32Decode(theirSecret), timeStep(new Date())));
  await them.getByRole("button", { name: "Turn on", exact: true }).click();
  await expect(them.getByTestId("two-factor-state")).toHaveText("On. 10 of 10 recovery codes left.");
  await theirs.close();

  const row = page.getByTestId("user-row").filter({ hasText: lost.email });
  await page.reload();
  await expect(row).toContainText("Two-factor on");
  await row.getByRole("button", { name: `Turn off two-factor sign-in for ${lost.email}` }).click();
  await row.getByRole("button", { name: "Confirm turn off" }).click();
  // The button goes with the two-factor sign-in it turned off.
  await expect(row).toContainText("Two-factor off");
  await expect(row.getByRole("button", { name: `Turn off two-factor sign-in for ${lost.email}` })).toHaveCount(0);

  // The password alone signs them in again.
  const again = await browser.newContext();
  const signedIn = await again.newPage();
  await signedIn.goto(`${product.dashboardUrl}/login`);
  await signedIn.getByLabel("Email").fill(lost.email);
  await signedIn.getByLabel("Password", { exact: true }).fill(lost.password);
  await signedIn.getByRole("button", { name: "Sign in" }).click();
  await expect(signedIn.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await again.close();
});
