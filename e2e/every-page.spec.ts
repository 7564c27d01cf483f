import http from "node:http";
import { expect, type Page, test } from "@playwright/test";
import { unusedPort } from "@/test-support/backend";
import { apiToken } from "./support/api-token";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { checkPageEverywhere, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from "./support/page-checks";
import { setupCodeFrom, startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/**
 * Every page at a phone's width (390 px) and a desktop's (1280 px), in light and dark: nothing
 * scrolls sideways, and axe-core finds no serious or critical violation. The data is the kind that
 * broke phones before: a very long site name, a failed Let's Encrypt order, certificates, an
 * access list, traffic. Plus the theme switch itself.
 */
test.describe.configure({ mode: "serial" });

const admin = { email: "admin@example.com", password: "correct horse battery" };
const LONG_NAME = "The marketing department's customer-portal-staging-environment-for-the-spring-campaign";
const LONG_HOST = "customer-portal-staging-environment-for-the-spring-campaign.example.test";
let product: RunningProduct;
let backend: PageBackend;
const ids = { site: "", certificate: "", failedOrder: "", accessList: "", dnsProvider: "", stream: "" };

test.beforeAll(async () => {
  backend = await startPageBackend("every page backend");
  // Orders go to an ACME server and DNS servers that are not there (closed local ports): the
  // order fails at once, without any traffic leaving this machine.
  const [acmePort, dnsPort] = await Promise.all([unusedPort(), unusedPort()]);
  product = await startProduct({
    ACME_DIRECTORY_URL: `https://127.0.0.1:${acmePort}/dir`,
    DNS_SERVERS: `127.0.0.1:${dnsPort}`,
    ACME_POLL_MS: "250",
    TRAFFIC_FLUSH_MS: "250",
    TRAFFIC_WRITE_MS: "500",
  });
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${product.dashboardUrl}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

function viaProxy(host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port: product.httpPort, path, headers: { host } }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
  });
}

test("the setup page, then the sign-in page, at both widths in both themes", async ({ page }) => {
  await checkPageEverywhere(page, `${product.dashboardUrl}/setup`, async (p) => {
    await expect(p.getByLabel("Setup code")).toBeVisible();
  });
  await page.getByLabel("Setup code").fill(setupCodeFrom(product.log()));
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Confirm password").fill(admin.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  await checkPageEverywhere(page, `${product.dashboardUrl}/login`, async (p) => {
    await expect(p.getByRole("button", { name: "Sign in" })).toBeVisible();
  });
});

test("the data every page needs: a long-named site, certificates, a failed order, an access list, traffic", async () => {
  const token = await apiToken(product.dashboardUrl, admin);
  const certificate = await api<{ id: string }>(token, "POST", "/certificates", {
    type: "self-signed",
    domains: [LONG_HOST, "www.example.test"],
  });
  ids.certificate = certificate.id;
  const accessList = await api<{ id: string }>(token, "POST", "/access-lists", {
    name: "Office and VPN only, for the staging environments of the spring campaign",
    allow: ["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"],
    deny: [],
    basicAuth: [{ username: "reviewer-with-a-rather-long-user-name", password: "a long passphrase" }],
    satisfy: "any",
  });
  ids.accessList = accessList.id;
  const dnsProvider = await api<{ id: string }>(token, "POST", "/dns-providers", {
    name: "The company's own name server for the staging environments of the spring campaign",
    type: "rfc2136",
    settings: { server: "127.0.0.1:53", tsigKeyName: "acme-key-for-the-staging-environments" },
    credentials: { tsigSecret: "c2VjcmV0" },
  });
  ids.dnsProvider = dnsProvider.id;
  const site = await api<{ id: string }>(token, "POST", "/sites", {
    name: LONG_NAME,
    hostnames: [LONG_HOST, "www.example.test"],
    upstreams: [{ url: backend.url }],
    certificateId: certificate.id,
    accessListId: accessList.id,
  });
  ids.site = site.id;
  await api(token, "POST", "/sites", { name: "Shop", hostnames: ["shop.test"], upstreams: [{ url: backend.url }] });
  const upstreamPort = await unusedPort();
  const stream = await api<{ id: string }>(token, "POST", "/streams", {
    name: `${LONG_NAME} database`,
    protocol: "both",
    listenPort: await unusedPort(),
    upstreams: [{ url: `tcp://127.0.0.1:${upstreamPort}`, weight: 3 }, { url: `udp://127.0.0.1:${upstreamPort}` }],
    accessListId: accessList.id,
  });
  ids.stream = stream.id;
  const order = await api<{ id: string }>(token, "POST", "/certificates", {
    type: "acme",
    domains: ["order-that-fails-for-a-long-hostname.example.test"],
    email: "admin@example.com",
  });
  ids.failedOrder = order.id;
  await expect
    .poll(async () => (await api<{ status: string }>(token, "GET", `/certificates/${order.id}`)).status, { timeout: 60_000 })
    .toBe("failed");

  for (let index = 0; index < 20; index++) await viaProxy(LONG_HOST, `/some/rather/long/path/number/${index}?with=a-query-string`);
  await viaProxy(LONG_HOST, "/missing");
});

const PAGES: { name: string; path: () => string; ready: (page: Page) => Promise<void> }[] = [
  { name: "overview", path: () => "/", ready: (page) => expect(page.getByTestId("proxy-status")).toBeVisible() },
  { name: "sites", path: () => "/sites", ready: (page) => expect(page.getByText(LONG_NAME).first()).toBeVisible() },
  { name: "a site", path: () => `/sites/${ids.site}`, ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "new site", path: () => "/sites/new", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "streams", path: () => "/streams", ready: (page) => expect(page.getByTestId("stream-row")).toBeVisible() },
  { name: "a stream", path: () => `/streams/${ids.stream}`, ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "new stream", path: () => "/streams/new", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  {
    name: "a site's access log",
    path: () => `/sites/${ids.site}/access-log`,
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  { name: "certificates", path: () => "/certificates", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  {
    name: "a certificate",
    path: () => `/certificates/${ids.certificate}`,
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  {
    name: "a failed order",
    path: () => `/certificates/${ids.failedOrder}`,
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  { name: "new certificate", path: () => "/certificates/new", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "access lists", path: () => "/access-lists", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "explain", path: () => "/explain", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  {
    name: "an access list",
    path: () => `/access-lists/${ids.accessList}`,
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  { name: "new access list", path: () => "/access-lists/new", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "DNS providers", path: () => "/dns-providers", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  {
    name: "a DNS provider",
    path: () => `/dns-providers/${ids.dnsProvider}`,
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  { name: "new DNS provider", path: () => "/dns-providers/new", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "traffic", path: () => "/traffic", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "settings", path: () => "/settings", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "API tokens", path: () => "/settings/tokens", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "account", path: () => "/account", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "history", path: () => "/history", ready: (page) => expect(page.getByTestId("history-entry").first()).toBeVisible() },
  { name: "users", path: () => "/users", ready: (page) => expect(page.getByTestId("user-row").first()).toBeVisible() },
  {
    name: "backup and restore",
    path: () => "/settings/backups",
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
  },
];

test.describe("signed in", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, product.dashboardUrl, admin);
  });

  for (const entry of PAGES) {
    test(`${entry.name}: no sideways scroll and no serious axe violation, at 390 and 1280 px, light and dark`, async ({ page }) => {
      await checkPageEverywhere(page, `${product.dashboardUrl}${entry.path()}`, entry.ready);
    });
  }

  test("every nav link is in sight at 360 px, and reachable with the keyboard", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(product.dashboardUrl);
    const nav = page.getByRole("navigation", { name: "Main" });
    const names = ["Overview", "Sites", "Certificates", "Access lists", "DNS providers", "Traffic", "Explain", "History", "Users", "Settings"];
    for (const name of names) await expect(nav.getByRole("link", { name, exact: true })).toBeInViewport({ ratio: 1 });
    await expectNoSidewaysScroll(page, "overview at 360 px");

    // Tab from the top of the page: each link, the theme switch and Sign out take the focus in turn.
    const reached = new Set<string>();
    await page.locator("body").focus();
    for (let step = 0; step < 15; step++) {
      await page.keyboard.press("Tab");
      reached.add(
        await page.evaluate(() => (document.activeElement?.getAttribute("aria-label") || document.activeElement?.textContent || "").trim()),
      );
    }
    for (const name of [...names, "Sign out"]) expect([...reached]).toContain(name);
    expect(await page.getByLabel("Theme").evaluate((element) => element.tabIndex)).toBe(0);
  });

  test("the theme switch: Dark survives a reload; System follows the system as it changes", async ({ page }) => {
    const html = page.locator("html");
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(product.dashboardUrl);
    await expect(html).not.toHaveClass(/\bdark\b/);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightBackground = await background();

    await page.getByLabel("Theme").selectOption("dark");
    await expect(html).toHaveClass(/\bdark\b/);
    expect(await background()).not.toBe(lightBackground);
    await page.reload();
    await expect(html).toHaveClass(/\bdark\b/);
    await expect(page.getByLabel("Theme")).toHaveValue("dark");
    await expectNoSeriousAxeViolations(page, "overview, dark chosen");

    await page.getByLabel("Theme").selectOption("light");
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(html).not.toHaveClass(/\bdark\b/);

    await page.getByLabel("Theme").selectOption("system");
    await expect(html).toHaveClass(/\bdark\b/);
    await page.emulateMedia({ colorScheme: "light" });
    await expect(html).not.toHaveClass(/\bdark\b/);
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(html).toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(page.getByLabel("Theme")).toHaveValue("system");
    await expect(html).toHaveClass(/\bdark\b/);
  });
});
