import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { unusedPort } from "../test-support/backend";
import { apiToken } from "./support/api-token";
import { checkPageEverywhere, expectNoSeriousAxeViolations } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/**
 * Settings › Backup and restore in a real Chromium against the real product: a backup downloaded
 * through the page brings back a site deleted since, after a preview that names it; a wrong
 * passphrase or a file that is no backup is refused at its field and changes nothing; the
 * schedule needs a passphrase, and the proxy then makes the backups it lists.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let token: string;
let folder: string;
let backupFile: string;
const admin = { email: "admin@example.com", password: "a long admin password" };
const PASSPHRASE = "correct horse battery staple";

test.beforeAll(async () => {
  // The proxy looks for a due scheduled backup twice a second instead of once a minute.
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, BACKUP_CHECK_MS: "500" });
  token = await apiToken(product.dashboardUrl, admin);
  folder = mkdtempSync(path.join(os.tmpdir(), "gk-e2e-backups-"));
});

test.afterAll(async () => {
  await product?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${product.dashboardUrl}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

const siteNames = async () => (await api<{ name: string }[]>("GET", "/sites")).map((site) => site.name).sort();

const restoreForm = (page: Page) => page.getByRole("form", { name: "Restore" });

test("a backup downloaded in the dashboard brings back a site deleted since, after a preview that names it", async ({ page }) => {
  const port = await unusedPort(); // nothing listens: the site need not serve here
  const shop = await api<{ id: string }>("POST", "/sites", {
    name: "Shop",
    hostnames: ["shop.test"],
    upstreams: [{ url: `http://127.0.0.1:${port}` }],
  });

  await page.goto(`${product.dashboardUrl}/settings`);
  await page.getByRole("link", { name: "Back up and restore" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Backup and restore" })).toBeVisible();

  const download = page.getByRole("form", { name: "Download a backup" });
  await download.getByLabel("Passphrase").fill("too short");
  await download.getByRole("button", { name: "Download backup" }).click();
  await expect(page.locator("#backup-download-passphrase-error")).toContainText("at least 10 characters");

  await download.getByLabel("Passphrase").fill(PASSPHRASE);
  const downloaded = page.waitForEvent("download");
  await download.getByRole("button", { name: "Download backup" }).click();
  const file = await downloaded;
  expect(file.suggestedFilename()).toMatch(/^gatekeeper-.*\.gkbackup$/);
  backupFile = path.join(folder, file.suggestedFilename());
  await file.saveAs(backupFile);
  await expect(page.getByTestId("backup-downloaded")).toContainText(`Downloaded ${file.suggestedFilename()}`);

  await api("DELETE", `/sites/${shop.id}`);
  expect(await siteNames()).toEqual([]);

  await restoreForm(page).getByLabel("Backup file").setInputFiles(backupFile);
  await restoreForm(page).getByLabel("Passphrase").fill(PASSPHRASE);
  await restoreForm(page).getByRole("button", { name: "Preview" }).click();
  const preview = page.getByTestId("restore-preview");
  await expect(preview.locator('[data-subject="sites"] [data-kind="added"]')).toHaveText("Added: Shop");
  await expect(preview.locator('[data-subject="certificates"]')).toContainText("Nothing changes.");
  await expectNoSeriousAxeViolations(page, "the restore preview");
  expect(await siteNames()).toEqual([]); // a preview changes nothing

  await restoreForm(page).getByRole("button", { name: "Restore now" }).click();
  await expect(page.getByTestId("restore-done")).toContainText("The state before was saved in the data directory's backups folder");
  await expect(preview).toHaveCount(0);
  expect(await siteNames()).toEqual(["Shop"]);
});

test("a wrong passphrase or a file that is no backup is refused at its field, in plain words, and changes nothing", async ({ page }) => {
  const port = await unusedPort();
  await api("POST", "/sites", { name: "Blog", hostnames: ["blog.test"], upstreams: [{ url: `http://127.0.0.1:${port}` }] });
  const before = await siteNames();

  await page.goto(`${product.dashboardUrl}/settings/backups`);
  await restoreForm(page).getByLabel("Backup file").setInputFiles(backupFile);
  await restoreForm(page).getByLabel("Passphrase").fill("not the passphrase at all");
  await restoreForm(page).getByRole("button", { name: "Preview" }).click();
  await expect(page.locator("#restore-passphrase-error")).toHaveText(
    "The passphrase does not open this backup (or the file was changed after it was made)",
  );
  await expect(restoreForm(page).getByLabel("Passphrase")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("restore-preview")).toHaveCount(0);
  await expect(restoreForm(page).getByRole("button", { name: "Restore now" })).toHaveCount(0);
  await expectNoSeriousAxeViolations(page, "a wrong passphrase");

  await restoreForm(page)
    .getByLabel("Backup file")
    .setInputFiles({ name: "notes.gkbackup", mimeType: "application/octet-stream", buffer: Buffer.from("shopping list: milk, eggs") });
  await restoreForm(page).getByLabel("Passphrase").fill(PASSPHRASE);
  await restoreForm(page).getByRole("button", { name: "Preview" }).click();
  await expect(page.locator("#restore-file-error")).toHaveText("This file is not a Gatekeeper backup");
  await expect(page.locator("#restore-passphrase-error")).toHaveCount(0);

  expect(await siteNames()).toEqual(before);
});

test("scheduled backups need a passphrase to be turned on; then the proxy makes one and the page lists it", async ({ page }) => {
  await page.goto(`${product.dashboardUrl}/settings/backups`);
  const schedule = page.getByRole("form", { name: "Scheduled backups" });
  await expect(page.getByTestId("backup-schedule-last")).toHaveText("No scheduled backup has been made yet.");
  await schedule.getByRole("switch", { name: "Make backups on a schedule" }).check();
  await schedule.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.locator("#backup-schedule-passphrase-error")).toHaveText("Choose the passphrase the scheduled backups are encrypted with");
  expect((await api<{ enabled: boolean }>("GET", "/backup/schedule")).enabled).toBe(false);

  await schedule.getByLabel("Every (hours)").fill("12");
  await schedule.getByLabel("Passphrase").fill(PASSPHRASE);
  await schedule.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByTestId("backup-schedule-saved")).toBeVisible();
  const saved = await api<{ enabled: boolean; everyHours: number; hasPassphrase: boolean }>("GET", "/backup/schedule");
  expect(saved).toMatchObject({ enabled: true, everyHours: 12, hasPassphrase: true });
  // Write-only: the field is empty again and says that empty keeps the saved passphrase.
  await expect(schedule.getByLabel("Passphrase")).toHaveValue("");
  await expect(page.locator("#backup-schedule-passphrase-hint")).toContainText("Leave empty to keep it");

  await expect.poll(async () => (await api<{ files: unknown[] }>("GET", "/backup/schedule")).files.length, { timeout: 30_000 }).toBe(1);
  await page.reload();
  await expect(page.getByRole("list", { name: "Scheduled backup files" }).getByTestId("scheduled-backup-file")).toContainText(
    /scheduled-.*\.gkbackup/,
  );
  await expect(page.getByTestId("backup-schedule-last")).toContainText("Last backup");
});

test("the page: no sideways scroll and no serious axe violation, at 390 and 1280 px, light and dark", async ({ page }) => {
  await checkPageEverywhere(page, `${product.dashboardUrl}/settings/backups`, (p) =>
    expect(p.getByRole("heading", { level: 1, name: "Backup and restore" })).toBeVisible(),
  );
});
