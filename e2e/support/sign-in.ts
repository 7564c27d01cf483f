import { expect, type Page } from "@playwright/test";

/** Signs in through the login page, as a person does, and waits until the dashboard says so. */
export async function signIn(page: Page, dashboardUrl: string, account: { email: string; password: string }): Promise<void> {
  await page.goto(`${dashboardUrl}/login`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}
