import { expect, type Page, test } from "@playwright/test";
import { apiToken } from "./support/api-token";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { checkPageEverywhere } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";
import { unusedPort } from "../test-support/backend";

/**
 * A viewer walks the whole dashboard and finds nothing to change: no Add, Save, Delete, Order,
 * Test or Undo, and no Users page. A server action replayed by hand is refused all the same.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backend: PageBackend;
let token = "";
const admin = { email: "admin@example.com", password: "a long admin password" };
const viewer = { email: "vera@example.com", password: "vera's long password" };
const ids = { site: "", certificate: "", accessList: "", dnsProvider: "", stream: "" };

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${product.dashboardUrl}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

test.beforeAll(async ({ browser }) => {
  backend = await startPageBackend("viewer backend");
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  token = await apiToken(product.dashboardUrl, admin);
  ids.certificate = (await api<{ id: string }>("POST", "/certificates", { type: "self-signed", domains: ["viewer.test"] })).id;
  ids.accessList = (await api<{ id: string }>("POST", "/access-lists", { name: "Office", allow: ["10.0.0.0/8"] })).id;
  ids.dnsProvider = (
    await api<{ id: string }>("POST", "/dns-providers", {
      name: "Own name server",
      type: "rfc2136",
      settings: { server: "127.0.0.1:53", tsigKeyName: "acme-key" },
      credentials: { tsigSecret: "c2VjcmV0" },
    })
  ).id;
  ids.site = (await api<{ id: string }>("POST", "/sites", { name: "Viewer shop", hostnames: ["viewer.test"], upstreams: [{ url: backend.url }] })).id;
  ids.stream = (
    await api<{ id: string }>("POST", "/streams", {
      name: "Viewer database",
      protocol: "tcp",
      listenPort: await unusedPort(),
      upstreams: [{ url: `127.0.0.1:${await unusedPort()}` }],
    })
  ).id;
  const { inviteUrl } = await api<{ inviteUrl: string }>("POST", "/users", { email: viewer.email, role: "viewer" });
  // The invited viewer sets a password through the link, as a person does.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL(new URL(inviteUrl).pathname, product.dashboardUrl).toString());
  await page.getByLabel("Password", { exact: true }).fill(viewer.password);
  await page.getByLabel("Confirm password").fill(viewer.password);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await context.close();
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

const signInViewer = (page: Page) => signIn(page, product.dashboardUrl, viewer);

const PAGES = () => [
  "/",
  "/sites",
  `/sites/${ids.site}`,
  `/sites/${ids.site}?tab=upstreams`,
  `/sites/${ids.site}?tab=routing`,
  `/sites/${ids.site}?tab=https`,
  `/sites/${ids.site}?tab=protection`,
  `/sites/${ids.site}?tab=advanced`,
  `/sites/${ids.site}/access-log`,
  "/sites/new",
  "/streams",
  `/streams/${ids.stream}`,
  "/streams/new",
  "/certificates",
  `/certificates/${ids.certificate}`,
  "/certificates/new",
  "/access-lists",
  `/access-lists/${ids.accessList}`,
  "/access-lists/new",
  "/dns-providers",
  `/dns-providers/${ids.dnsProvider}`,
  "/dns-providers/new",
  "/traffic",
  "/explain",
  "/history",
  "/users",
  "/settings",
  "/settings/backups",
];

/** The words a control that changes something starts with. */
const CHANGE =
  /^(Add|Save|Delete|Edit|Undo|Order|Invite|Remove|Test|Create|Generate|Upload|Get|Disable|Enable|Change|Restore|Download|Send|Move|Renew|Revoke|Confirm|Dismiss all)\b/i;

/** Reading tools keep their one submit button: Explain, and the filters of the access log and the history. */
const READING = /^(Explain|Filter|Apply|Show|Search)\b/;

test("a viewer sees every page, the read-only notice, and no control that changes anything", async ({ page }) => {
  await signInViewer(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "History" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  const found: string[] = [];
  for (const path of PAGES()) {
    await page.goto(`${product.dashboardUrl}${path}`);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    await expect(page.getByTestId("read-only-notice")).toHaveText("You can look but not change: you are a viewer.");
    const controls = page.locator("main").locator('button:not([role="tab"]), a[href], input[type="submit"]');
    for (const control of await controls.all()) {
      if (!(await control.isVisible())) continue;
      const name = ((await control.getAttribute("aria-label")) ?? (await control.textContent()) ?? "").trim();
      const submits = (await control.getAttribute("type")) === "submit";
      if (CHANGE.test(name) || (submits && !READING.test(name))) found.push(`${path}: "${name}"`);
    }
  }
  expect(found).toEqual([]);
  // The site's data is all there to read.
  await page.goto(`${product.dashboardUrl}/sites/${ids.site}?tab=upstreams`);
  await expect(page.getByLabel("Upstream servers")).toHaveValue(backend.url);
});

test("a server action replayed by a viewer is refused; the same request from an admin works", async ({ page, browser }) => {
  // The admin's browser presses "Disable site"; the request is kept, not sent.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, product.dashboardUrl, admin);
  let captured: { url: string; headers: Record<string, string>; body: string } | null = null;
  await adminPage.route("**/sites/**", async (route) => {
    const request = route.request();
    const headers = request.headers();
    if (request.method() === "POST" && headers["next-action"] && captured === null) {
      captured = { url: request.url(), headers, body: request.postData() ?? "" };
      await route.abort();
      return;
    }
    await route.continue();
  });
  await adminPage.goto(`${product.dashboardUrl}/sites/${ids.site}`);
  await adminPage.getByRole("button", { name: "Disable site" }).click();
  await expect.poll(() => captured !== null).toBe(true);
  const request = captured as unknown as { url: string; headers: Record<string, string>; body: string };
  const replay = (from: Page) => {
    const { cookie: _cookie, ...headers } = request.headers;
    return from.request.post(request.url, { headers, data: request.body });
  };
  const enabled = async () => (await api<{ enabled: boolean }>("GET", `/sites/${ids.site}`)).enabled;

  await signInViewer(page);
  const refused = await replay(page);
  expect(refused.status(), "the viewer's replay is answered with an error").toBeGreaterThanOrEqual(400);
  expect(await enabled()).toBe(true);

  // The same request with the admin's session does disable the site: the replay itself is sound.
  await replay(adminPage);
  await expect.poll(enabled).toBe(false);
  await adminContext.close();
});

test("the read-only pages read well for a viewer at every width, light and dark", async ({ page }) => {
  await signInViewer(page);
  await checkPageEverywhere(page, `${product.dashboardUrl}/sites/${ids.site}`, async (ready) => {
    await expect(ready.getByTestId("read-only-notice")).toBeVisible();
  });
  await checkPageEverywhere(page, `${product.dashboardUrl}/history`, async (ready) => {
    await expect(ready.getByTestId("history-entry").first()).toBeVisible();
  });
});
