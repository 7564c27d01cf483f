import { expect, type Page, test } from "@playwright/test";
import { apiToken } from "./support/api-token";
import { type PageBackend, startPageBackend } from "./support/backend-page";
import { expectNoSeriousAxeViolations, expectNoSidewaysScroll } from "./support/page-checks";
import { type RunningProduct, startProduct } from "./support/product";
import { signIn } from "./support/sign-in";
import { TestCertificateFactory } from "../test-support/certs";

/** The site editor in tabs, as a person uses it: by mouse, by keyboard, on a phone, with mistakes. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backend: PageBackend;
let token: string;
let siteUrl: string;
const admin = { email: "admin@example.com", password: "correct horse battery" };

const TAB_NAMES = ["Details", "Upstreams and health", "Routing", "HTTPS", "Protection", "Advanced"];

/** A tab by its words; a tab with a problem adds "(needs attention)" to its name. */
const tab = (page: Page, name: string) => page.getByRole("tab", { name: new RegExp(`^${name}( \\(needs attention\\))?$`) });
const panel = (page: Page) => page.getByRole("tabpanel");

async function readSite(): Promise<Record<string, unknown>> {
  const id = new URL(siteUrl).pathname.split("/").at(-1);
  const response = await fetch(`${product.dashboardUrl}/api/v1/sites/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as Record<string, unknown>;
}

test.beforeAll(async () => {
  backend = await startPageBackend("the editor's backend");
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  token = await apiToken(product.dashboardUrl, admin);
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

test("a new site forgotten its upstream: saving selects the Upstreams tab, marks it and focuses the field", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/new`);
  await expect(tab(page, "Details")).toHaveAttribute("aria-selected", "true");
  await page.getByLabel("Site name").fill("Editor test");
  await page.getByLabel("Hostnames").fill("editor.test");
  await expect(page.getByLabel("Upstream servers")).toBeHidden();

  await page.getByRole("button", { name: "Add site" }).click();
  await expect(tab(page, "Upstreams and health")).toHaveAttribute("aria-selected", "true");
  await expect(tab(page, "Upstreams and health")).toHaveAttribute("data-error", "true");
  await expect(tab(page, "Upstreams and health")).toHaveAccessibleName(/needs attention/);
  await expect(tab(page, "Details")).not.toHaveAttribute("data-error", "true");
  await expect(page.getByLabel("Upstream servers")).toBeFocused();
  await expect(page.locator("#site-upstreams-error")).toBeVisible();
  await expect(page).toHaveURL(/[?&]tab=upstreams/);

  await page.getByLabel("Upstream servers").fill(backend.url);
  await tab(page, "Details").click();
  await expect(page.getByLabel("Site name")).toHaveValue("Editor test");
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.getByTestId("flash")).toBeVisible();
  siteUrl = page.url().replace(/\?.*$/, "");
  await expect(page.getByTestId("site-status")).toHaveText("Live", { timeout: 20_000 });
});

test("the live status stays above the tabs, and each tab shows only its own settings", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(siteUrl);
  await expect(page.getByRole("tablist")).toBeVisible();
  await expect(page.getByRole("tab")).toHaveText(TAB_NAMES);

  const expectations: Array<[string, string, string]> = [
    ["Details", "Site name", "Upstream servers"],
    ["Upstreams and health", "Upstream servers", "HTTPS certificate"],
    ["Routing", "Redirect the whole site", "Upstream servers"],
    ["HTTPS", "HTTPS certificate", "Access list"],
    ["Protection", "Access list", "Websockets"],
    ["Advanced", "Websockets", "Site name"],
  ];
  for (const [name, shown, hidden] of expectations) {
    await tab(page, name).click();
    await expect(tab(page, name)).toHaveAttribute("aria-selected", "true");
    await expect(panel(page)).toHaveAttribute("aria-labelledby", (await tab(page, name).getAttribute("id")) ?? "");
    await expect(page.getByLabel(shown, { exact: true })).toBeVisible();
    await expect(page.getByLabel(hidden, { exact: true })).toBeHidden();
    // The live status is the same in every tab.
    await expect(page.getByTestId("site-status")).toBeVisible();
    await expect(page.getByTestId("summary-servers")).toBeVisible();
    await expect(page.getByTestId("summary-https")).toContainText("no certificate");
  }
  await tab(page, "Upstreams and health").click();
  await expect(page.getByTestId("upstream-health")).toBeVisible();
  await expect(page.getByTestId("https-card")).toBeHidden();
  await tab(page, "HTTPS").click();
  await expect(page.getByTestId("https-card")).toBeVisible();
  await expect(page.getByTestId("upstream-health")).toBeHidden();
  await tab(page, "Protection").click();
  await expect(page.getByTestId("protection-card")).toBeVisible();
});

test("the keyboard: arrows, Home and End move between tabs, Tab goes into the panel", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(siteUrl);
  await tab(page, "Details").focus();
  // Only the selected tab is a tab stop.
  await expect(page.getByRole("tab", { selected: false }).first()).toHaveAttribute("tabindex", "-1");

  await page.keyboard.press("ArrowRight");
  await expect(tab(page, "Upstreams and health")).toBeFocused();
  await expect(tab(page, "Upstreams and health")).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("End");
  await expect(tab(page, "Advanced")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(tab(page, "Details")).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(tab(page, "Advanced")).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Home");
  await expect(tab(page, "Details")).toHaveAttribute("aria-selected", "true");

  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Site name")).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(tab(page, "Details")).toBeFocused();
});

test("edits in three tabs are kept while switching and saved together by one Save", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(siteUrl);
  const before = await readSite();
  expect(typeof before.websockets).toBe("boolean");
  expect(typeof before.blockExploits).toBe("boolean");

  await page.getByLabel("Site name").fill("Editor test renamed");
  await tab(page, "Advanced").click();
  await page.getByLabel("Websockets").setChecked(!before.websockets);
  await tab(page, "Protection").click();
  await page.getByLabel("Block common exploits").setChecked(!before.blockExploits);
  await tab(page, "Details").click();
  await expect(page.getByLabel("Site name")).toHaveValue("Editor test renamed");
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();

  const after = await readSite();
  expect(after.name).toBe("Editor test renamed");
  expect(after.websockets).toBe(!before.websockets);
  expect(after.blockExploits).toBe(!before.blockExploits);
  await expect(page.getByRole("tab").and(page.locator("[data-error]"))).toHaveCount(0);
});

test("compression: the algorithms and the smallest size are saved as chosen; a size that is no number is named", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${siteUrl}?tab=advanced`);
  await page.getByLabel("Compress answers").setChecked(true);
  await page.getByLabel("Brotli").setChecked(false);
  await page.getByLabel("Zstandard").setChecked(false);
  await page.getByLabel("gzip", { exact: true }).setChecked(true);
  await page.getByLabel("Smallest answer to compress").fill("-5");
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.locator("#site-compression-min-bytes-error")).toHaveText("Give the smallest size to compress in bytes, like 1024");
  expect(((await readSite()).compression as { minBytes?: number }).minBytes).not.toBe(-5);

  await page.getByLabel("Smallest answer to compress").fill("2048");
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  expect((await readSite()).compression).toEqual({ enabled: true, algorithms: ["gzip"], minBytes: 2048 });

  await page.reload();
  await expect(page.getByLabel("Brotli")).not.toBeChecked();
  await expect(page.getByLabel("gzip", { exact: true })).toBeChecked();
  await expect(page.getByLabel("Smallest answer to compress")).toHaveValue("2048");
});

test("cache: turned on with its budgets, freshness and header, saved and shown again; a budget that is no number is named; purge checks its path", async ({
  page,
}) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${siteUrl}?tab=advanced`);
  const before = await readSite();
  expect(before.cache).toMatchObject({ enabled: false });
  await expect(page.getByLabel("Memory budget (MB)")).toBeHidden();
  // Nothing stored while the cache is off: no purge to offer.
  await expect(page.getByTestId("cache-purge")).toHaveCount(0);

  await page.getByLabel("Cache answers").setChecked(true);
  await expect(page.getByLabel("Memory budget (MB)")).toHaveValue("64");
  await expect(page.getByLabel("Disk budget (MB)")).toHaveValue("1024");
  await expect(page.getByLabel("Add X-Cache header")).toBeChecked();
  await page.getByLabel("Memory budget (MB)").fill("-5");
  await page.getByLabel("Disk budget (MB)").fill("2048");
  await page.getByLabel("Default freshness (seconds)").fill("300");
  await page.getByLabel("Add X-Cache header").setChecked(false);
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.locator("#site-cache-memory-error")).toHaveText("Give the memory budget in MB, like 64");
  await expect(page.getByLabel("Memory budget (MB)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#site-cache-disk-error")).toHaveCount(0);
  // Nothing saved, and nothing typed lost.
  expect((await readSite()).cache).toEqual(before.cache);
  await expect(page.getByLabel("Disk budget (MB)")).toHaveValue("2048");
  await expect(page.getByLabel("Default freshness (seconds)")).toHaveValue("300");
  await expect(page.getByLabel("Add X-Cache header")).not.toBeChecked();

  await page.getByLabel("Memory budget (MB)").fill("128");
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  expect((await readSite()).cache).toEqual({ enabled: true, maxMemoryMb: 128, maxDiskMb: 2048, defaultTtlSeconds: 300, cacheHeader: false });

  await page.reload();
  await expect(page.getByLabel("Cache answers")).toBeChecked();
  await expect(page.getByLabel("Memory budget (MB)")).toHaveValue("128");
  await expect(page.getByLabel("Disk budget (MB)")).toHaveValue("2048");
  await expect(page.getByLabel("Default freshness (seconds)")).toHaveValue("300");
  await expect(page.getByLabel("Add X-Cache header")).not.toBeChecked();

  // An empty freshness: only what the upstream says.
  await page.getByLabel("Default freshness (seconds)").fill("");
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  expect(((await readSite()).cache as { defaultTtlSeconds?: number | null }).defaultTtlSeconds ?? null).toBeNull();

  // The purge panel, now that the cache is on: a prefix without its leading / is named at its field.
  const purge = page.getByTestId("cache-purge");
  await expect(purge).toBeVisible();
  await purge.getByLabel("Paths starting with").check();
  await purge.getByLabel("Path prefix").fill("static/");
  await purge.getByRole("button", { name: "Purge cache" }).click();
  await expect(page.locator("#cache-purge-prefix-error")).toHaveText("Start the prefix with /, like /static/");
  await expectNoSeriousAxeViolations(page, "Advanced with the cache on", (axe) => axe.include("[role=tabpanel]"));
});

test("a mistake in a hidden tab selects that tab, and nothing already saved is lost", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${siteUrl}?tab=upstreams`);
  await page.getByLabel("Upstream servers").fill("http://127.0.0.1:70000");
  await tab(page, "Details").click();
  await page.getByLabel("Site name").fill("Not saved");
  await page.getByRole("button", { name: "Save site" }).click();

  await expect(tab(page, "Upstreams and health")).toHaveAttribute("aria-selected", "true");
  await expect(tab(page, "Upstreams and health")).toHaveAttribute("data-error", "true");
  await expect(page.getByLabel("Upstream servers")).toBeFocused();
  await expect(page.locator("#site-upstreams-error")).toContainText("65535");
  await expect(page.getByTestId("form-error")).toBeVisible();

  const saved = await readSite();
  expect(saved.name).toBe("Editor test renamed");
  await tab(page, "Details").click();
  await expect(page.getByLabel("Site name")).toHaveValue("Not saved");
});

test("every nested setting survives a save of the untouched form, and a nested field's error shows at that field", async ({ page }) => {
  const id = new URL(siteUrl).pathname.split("/").at(-1);
  const settings = {
    loadBalancing: { policy: "least_conn" },
    healthCheck: {
      enabled: true,
      path: "/status",
      intervalSeconds: 7,
      timeoutSeconds: 3,
      expectedStatus: "200",
      healthyThreshold: 4,
      unhealthyThreshold: 5,
    },
    rateLimit: { requestsPerSecond: 2.5, burst: 10, maxConnectionsPerIp: 4 },
    securityHeaders: {
      hsts: { maxAge: 86_400, includeSubDomains: true },
      frameOptions: "DENY",
      contentTypeOptions: true,
      referrerPolicy: "no-referrer",
      permissionsPolicy: "camera=()",
      contentSecurityPolicy: "default-src 'self'",
    },
  };
  const response = await fetch(`${product.dashboardUrl}/api/v1/sites/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(settings),
  });
  expect(response.status).toBe(200);

  await signIn(page, product.dashboardUrl, admin);
  await page.goto(siteUrl);
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  expect(await readSite()).toMatchObject(settings);

  await tab(page, "Upstreams and health").click();
  await page.getByTestId("health-check-settings").click();
  await page.getByLabel("Check timeout (seconds)").fill("9");
  await tab(page, "Details").click();
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(tab(page, "Upstreams and health")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("Check timeout (seconds)")).toBeFocused();
  await expect(page.locator("#site-hc-timeout-error")).toHaveText("The timeout must not be longer than the interval");
  expect(await readSite()).toMatchObject({ healthCheck: settings.healthCheck });
});

test("the selected tab is in the URL: a reload and a link open it", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(siteUrl);
  await tab(page, "HTTPS").click();
  await expect(page).toHaveURL(/[?&]tab=https(&|$)/);
  await page.reload();
  await expect(tab(page, "HTTPS")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("HTTPS certificate")).toBeVisible();

  await page.goto(`${siteUrl}?tab=protection`);
  await expect(tab(page, "Protection")).toHaveAttribute("aria-selected", "true");
  await page.goto(`${siteUrl}?tab=nonsense`);
  await expect(tab(page, "Details")).toHaveAttribute("aria-selected", "true");
});

test("switching tabs while the page refreshes itself never reloads it, so unsaved edits stay", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(siteUrl);
  // A whole-page load would drop this mark; the page's own refresh (every 3 s) keeps it.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  await page.getByLabel("Site name").fill("Not saved yet");
  const until = Date.now() + 10_000;
  for (let index = 0; Date.now() < until; index++) {
    await tab(page, TAB_NAMES[index % TAB_NAMES.length] ?? "Details").click();
    await page.waitForTimeout(100);
  }
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await tab(page, "Details").click();
  await expect(page.getByLabel("Site name")).toHaveValue("Not saved yet");
});

test("at 390 px every tab fits without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, product.dashboardUrl, admin);
  for (const url of [siteUrl, `${product.dashboardUrl}/sites/new`]) {
    await page.goto(url);
    for (const name of TAB_NAMES) {
      await tab(page, name).click();
      await expect(tab(page, name)).toBeInViewport();
      await expectNoSidewaysScroll(page, `${url} ${name}`);
    }
  }
});

test("axe finds no serious or critical problem in the tabs or any tab's panel", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(siteUrl);
  for (const name of TAB_NAMES) {
    await tab(page, name).click();
    await expectNoSeriousAxeViolations(page, name, (axe) => axe.include("[role=tablist]").include("[role=tabpanel]"));
  }
});

test("a new site picks the wildcard certificate that covers its names as they are typed, until one is chosen", async ({ page }) => {
  const wildcard = new TestCertificateFactory().selfSigned(["*.wild.test", "wild.test"], "ec-p256");
  const uploaded = await fetch(`${product.dashboardUrl}/api/v1/certificates`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ type: "upload", name: "Wild", certificatePem: wildcard.certificatePem, privateKeyPem: wildcard.privateKeyPem }),
  });
  expect(uploaded.status).toBe(201);
  const { id: certificateId } = (await uploaded.json()) as { id: string };

  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/new?tab=https`);
  const select = page.getByLabel("HTTPS certificate");
  await expect(select).toHaveValue("");
  await tab(page, "Details").click();
  await page.getByLabel("Site name").fill("Wild shop");
  await page.getByLabel("Hostnames").fill("shop.wild.test\nwild.test");
  await tab(page, "HTTPS").click();
  await expect(select).toHaveValue(certificateId);
  await expect(page.getByText("Chosen for you: it covers every hostname.")).toBeVisible();

  // A name it does not cover: nothing is chosen for the user.
  await tab(page, "Details").click();
  await page.getByLabel("Hostnames").fill("shop.wild.test\nshop.other.test");
  await tab(page, "HTTPS").click();
  await expect(select).toHaveValue("");

  // Chosen by hand ("None"): kept, whatever the names.
  await tab(page, "Details").click();
  await page.getByLabel("Hostnames").fill("shop.wild.test");
  await tab(page, "HTTPS").click();
  await expect(select).toHaveValue(certificateId);
  await select.selectOption("");
  await tab(page, "Details").click();
  await page.getByLabel("Hostnames").fill("api.wild.test");
  await tab(page, "HTTPS").click();
  await expect(select).toHaveValue("");
});

test("TLS pass-through: the certificate settings give way, an http:// upstream is named, and tcp:// saves and reloads as pass-through", async ({
  page,
}) => {
  const port = new URL(backend.url).port;
  const passThrough = page.getByRole("radio", { name: /^Pass through to the upstream/ });
  const proxyProtocol = page.getByLabel("Tell the upstream the visitor's address (PROXY protocol v2)");
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/new`);
  await page.getByLabel("Site name").fill("Passed through");
  await page.getByLabel("Hostnames").fill("pass.test");
  await expect(page.getByRole("radio", { name: /^Decrypt here/ })).toBeChecked();
  await expect(proxyProtocol).toHaveCount(0);
  await passThrough.check();
  await expect(proxyProtocol).toBeVisible();

  await tab(page, "HTTPS").click();
  await expect(page.getByLabel("HTTPS certificate")).toBeHidden();
  await expect(page.getByLabel("HSTS", { exact: true })).toBeHidden();
  await expect(page.getByLabel("Force HTTPS")).toBeVisible();
  await expect(panel(page).getByTestId("not-for-passthrough").filter({ visible: true })).toHaveCount(1);
  await tab(page, "Routing").click();
  await expect(page.getByLabel("Redirect the whole site")).toBeHidden();
  await expect(panel(page).getByTestId("not-for-passthrough").filter({ visible: true })).toHaveCount(1);
  await tab(page, "Upstreams and health").click();
  await expect(page.locator("#site-upstreams-hint")).toContainText("tcp://host:port");
  await expectNoSeriousAxeViolations(page, "pass-through upstreams", (axe) => axe.include("[role=tablist]").include("[role=tabpanel]"));

  await page.getByLabel("Upstream servers").fill(backend.url);
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.locator("#site-upstreams-error")).toContainText("write tcp://host:port");
  await expect(page.getByLabel("Upstream servers")).toBeFocused();

  await page.getByLabel("Upstream servers").fill(`tcp://127.0.0.1:${port}`);
  // The proxy does not serve pass-through sites yet: its HTTP health check of a tcp:// upstream
  // stops the proxy primary. What is checked here is the dashboard, so the checks stay off.
  await page.getByLabel("Health checks", { exact: true }).uncheck();
  await tab(page, "Details").click();
  await proxyProtocol.check();
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page).toHaveURL(/\/sites\/[^/?]+\?created=1$/);

  await page.reload();
  await tab(page, "Details").click();
  await expect(passThrough).toBeChecked();
  await expect(proxyProtocol).toBeChecked();
  await expect(page.getByTestId("summary-https")).toContainText("the upstream holds the certificate");
  await tab(page, "HTTPS").click();
  await expect(page.getByLabel("HTTPS certificate")).toBeHidden();
  const id = new URL(page.url()).pathname.split("/").at(-1);
  const saved = (await (await fetch(`${product.dashboardUrl}/api/v1/sites/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    tlsMode: string;
    proxyProtocol: boolean;
    certificateId: string | null;
    upstreams: { url: string }[];
  };
  expect(saved).toMatchObject({ tlsMode: "passthrough", proxyProtocol: true, certificateId: null, upstreams: [{ url: `tcp://127.0.0.1:${port}` }] });

  await page.goto(`${product.dashboardUrl}/sites`);
  await expect(page.getByTestId("site-row").filter({ hasText: "Passed through" }).getByTestId("site-passthrough")).toHaveText("TLS pass-through");
});
