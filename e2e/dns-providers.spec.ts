import tls from "node:tls";
import { expect, test } from "@playwright/test";
import { unusedPort } from "../test-support/backend";
import { type Bind, startBind } from "../test-support/bind";
import { type Pebble, startPebble } from "../test-support/pebble";
import { apiToken } from "./support/api-token";
import { type PageBackend, startPageBackend } from "./support/backend-page";
import { checkPageEverywhere } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/**
 * DNS providers in a real Chromium, against a real DNS server: BIND, authoritative for dns.test
 * and taking RFC 2136 updates signed with a TSIG key. The product asks BIND for every DNS answer
 * (DNS_SERVERS, and DNS_AUTHORITATIVE_PORT for the zone's own servers), so "Test" creates, sees
 * and removes a real record. Pebble, the ACME server, asks the same BIND, so a wildcard order
 * goes all the way: TXT records created, seen, validated, removed, certificate installed.
 */
test.describe.configure({ mode: "serial" });

let bind: Bind;
let pebble: Pebble;
let product: RunningProduct;
let backend: PageBackend;
const admin = { email: "admin@example.com", password: "correct horse battery" };
const ids = { provider: "", wrongSecret: "", wildcardSite: "" };

test.beforeAll(async () => {
  bind = await startBind();
  backend = await startPageBackend("everything under dns.test");
  const httpPort = await unusedPort();
  pebble = await startPebble({ httpPort, dnsServer: bind.server });
  product = await startProduct(
    {
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      ACME_DIRECTORY_URL: pebble.directoryUrl,
      ACME_CA_FILE: pebble.caFile,
      DNS_SERVERS: bind.server,
      DNS_AUTHORITATIVE_PORT: String(bind.port),
      ACME_POLL_MS: "250",
    },
    { httpPort },
  );
});

test.afterAll(async () => {
  await product?.stop();
  await pebble?.stop();
  await bind?.stop();
  await backend?.close();
});

test.beforeEach(async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = await apiToken(product.dashboardUrl, admin);
  const response = await fetch(`${product.dashboardUrl}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

test("with no DNS provider yet, a wildcard site's HTTPS card leads to adding one", async ({ page }) => {
  const site = await api<{ id: string }>("POST", "/sites", {
    name: "Before any provider",
    hostnames: ["*.first.dns.test"],
    upstreams: [{ url: backend.url }],
  });
  await page.goto(`${product.dashboardUrl}/sites/${site.id}`);
  await page.getByRole("tab", { name: "HTTPS" }).click();
  const card = page.getByTestId("https-card");
  await expect(card.getByTestId("acme-no-dns-provider")).toBeVisible();
  await expect(card.getByRole("button", { name: "Get a wildcard certificate" })).toBeDisabled();
  await card.getByRole("link", { name: "Add a DNS provider" }).click();
  await expect(page).toHaveURL(/\/dns-providers\/new$/);
});

test("an RFC 2136 provider through the form: a bad server is shown at its field and saves nothing", async ({ page }) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "DNS providers" }).click();
  await expect(page.getByText("No DNS providers yet")).toBeVisible();
  await page.getByRole("link", { name: "Add DNS provider" }).click();

  await page.getByLabel("Name", { exact: true }).fill("Company BIND");
  await page.getByLabel("Type", { exact: true }).selectOption("rfc2136");
  const server = page.getByLabel("DNS server", { exact: true });
  await server.fill("ns1 example com");
  await page.getByLabel("TSIG key name", { exact: true }).fill(bind.keyName);
  await page.getByLabel("TSIG secret", { exact: true }).fill(bind.secret);
  await page.getByRole("button", { name: "Add DNS provider" }).click();

  await expect(server).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#dns-provider-settings-server-error")).toContainText("Write the server's hostname or address");
  await expect(page.getByTestId("form-error")).toContainText("see the fields marked in red");
  expect(await api<unknown[]>("GET", "/dns-providers")).toEqual([]);

  // Everything typed is still there, the secret too: only the server needs fixing.
  await server.fill(bind.server);
  await page.getByRole("button", { name: "Add DNS provider" }).click();
  await expect(page).toHaveURL(/\/dns-providers\/[^/?]+\?created=1$/);
  await expect(page.getByTestId("flash")).toBeVisible();
  ids.provider = new URL(page.url()).pathname.split("/").at(-1) ?? "";

  await page.getByRole("link", { name: "← DNS providers" }).click();
  const rows = page.getByTestId("dns-provider-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Company BIND");
  await expect(rows.first().getByTestId("dns-provider-type")).toHaveText("RFC 2136 (BIND, Knot, PowerDNS, Technitium)");
  await expect(rows.first().getByTestId("dns-provider-usage")).toHaveText("Not used");
});

test("saving with the secret left empty keeps it; Test with dns.test passes all four steps", async ({ page }) => {
  await page.goto(`${product.dashboardUrl}/dns-providers/${ids.provider}`);
  await expect(page.getByLabel("DNS server", { exact: true })).toHaveValue(bind.server);
  await expect(page.getByLabel("TSIG secret", { exact: true })).toHaveValue("");
  await expect(page.getByText("Leave empty to keep the saved one.")).toBeVisible();
  await page.getByRole("button", { name: "Save DNS provider" }).click();
  await expect(page.getByTestId("form-success")).toHaveText("DNS provider saved.");

  await page.getByLabel("Domain", { exact: true }).fill("dns.test");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const result = page.getByTestId("dns-test-result");
  await expect(result).toHaveAttribute("data-ok", "true", { timeout: 45_000 });
  const steps = result.getByTestId("dns-test-step");
  await expect(steps).toHaveCount(4);
  expect(await steps.evaluateAll((items) => items.map((item) => [item.getAttribute("data-step"), item.getAttribute("data-ok")]))).toEqual([
    ["zone", "true"],
    ["create", "true"],
    ["served", "true"],
    ["delete", "true"],
  ]);
  await expect(steps.nth(0)).toContainText("_acme-challenge.dns.test");
  await expect(result.getByText("✓")).toHaveCount(4);
  expect(await bind.txt("_acme-challenge.dns.test")).toEqual([]);
});

test("a wrong secret: Test says so in plain words, at the step that failed", async ({ page }) => {
  const wrong = await api<{ id: string }>("POST", "/dns-providers", {
    name: "BIND with an old secret",
    type: "rfc2136",
    settings: { server: bind.server, tsigKeyName: bind.keyName },
    credentials: { tsigSecret: Buffer.from("not the secret of this key").toString("base64") },
  });
  ids.wrongSecret = wrong.id;
  await page.goto(`${product.dashboardUrl}/dns-providers/${wrong.id}`);
  await page.getByLabel("Domain", { exact: true }).fill("dns.test");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const result = page.getByTestId("dns-test-result");
  await expect(result).toHaveAttribute("data-ok", "false", { timeout: 45_000 });
  const create = result.locator('[data-step="create"]');
  await expect(create).toHaveAttribute("data-ok", "false");
  await expect(create).toContainText(`rejected the signature: the TSIG secret of key "${bind.keyName}" does not match the server's`);
  await expect(create.getByText("✗")).toBeVisible();
});

test("delete: refused with the reason while a certificate uses the provider, done otherwise", async ({ page }) => {
  await api("POST", "/certificates", {
    type: "acme",
    // A name of its own: this order runs at Pebble too, beside the wildcard order below.
    domains: ["*.delete-me.dns.test"],
    email: admin.email,
    challenge: "dns-01",
    dnsProviderId: ids.provider,
  });
  await page.goto(`${product.dashboardUrl}/dns-providers`);
  await expect(page.locator(`[data-dns-provider-id="${ids.provider}"]`).getByTestId("dns-provider-usage")).toHaveText("Used by 1 certificate");

  await page.goto(`${product.dashboardUrl}/dns-providers/${ids.provider}`);
  await expect(page.getByTestId("dns-provider-certificates")).toContainText("*.delete-me.dns.test");
  await page.getByRole("button", { name: "Delete DNS provider" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByTestId("action-error")).toContainText("which renew through it: delete those certificates first");
  await page.getByTestId("dns-provider-certificates").getByRole("link").click();
  await expect(page.getByTestId("acme-challenge")).toHaveText("A DNS TXT record at Company BIND");

  await page.goto(`${product.dashboardUrl}/dns-providers/${ids.wrongSecret}`);
  await page.getByRole("button", { name: "Delete DNS provider" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByTestId("flash")).toHaveText("The DNS provider “BIND with an old secret” was deleted.");
  await expect(page.getByTestId("dns-provider-row")).toHaveCount(1);
});

/** A TLS handshake with SNI, trusting only Pebble's root: authorized means chained to it. */
async function handshake(servername: string): Promise<{ authorized: boolean; altNames: string | undefined }> {
  const ca = await pebble.rootPem();
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port: product.httpsPort, servername, ca, rejectUnauthorized: false }, () => {
      resolve({ authorized: socket.authorized, altNames: socket.getPeerCertificate().subjectaltname });
      socket.end();
    });
    socket.on("error", reject);
  });
}

test("a site with a wildcard name: “Get a wildcard certificate” through the provider, step by step to installed", async ({ page }) => {
  const site = await api<{ id: string }>("POST", "/sites", {
    name: "Everything under dns.test",
    hostnames: ["*.dns.test", "dns.test"],
    upstreams: [{ url: backend.url }],
  });
  ids.wildcardSite = site.id;
  await page.goto(`${product.dashboardUrl}/sites/${site.id}`);
  await page.getByRole("tab", { name: "HTTPS" }).click();
  const card = page.getByTestId("https-card");
  await expect(card).toHaveAttribute("data-kind", "wildcard");
  await expect(card.getByTestId("acme-wildcard")).toContainText("*.dns.test is a wildcard");
  await expect(card.getByLabel("DNS provider", { exact: true })).toHaveValue(ids.provider);
  await expect(card.getByLabel("How should Let's Encrypt check the names?")).toHaveCount(0);
  await card.getByRole("button", { name: "Get a wildcard certificate" }).click();

  await expect(card.getByTestId("acme-installed")).toBeVisible({ timeout: 90_000 });
  await expect(card).toHaveAttribute("data-kind", "acme");
  const steps = card.getByTestId("progress-step");
  const reported = await steps.evaluateAll((items) => items.map((item) => [item.getAttribute("data-step"), item.getAttribute("data-state")]));
  expect(reported.every(([, state]) => state === "done")).toBe(true);
  const names = reported.map(([step]) => step);
  // Both names are worked on at once: their record, seen and challenge steps arrive in either order.
  expect(names.slice(0, 2)).toEqual(["account", "order"]);
  expect(names.slice(2, 8).sort()).toEqual(
    ["challenge *.dns.test", "challenge dns.test", "record *.dns.test", "record dns.test", "seen *.dns.test", "seen dns.test"].sort(),
  );
  expect(names.slice(8)).toEqual(["validation", "issued", "cleanup", "installed"]);
  await expect(steps.filter({ hasText: "Create the TXT record for *.dns.test" })).toHaveCount(1);
  await expect(steps.filter({ hasText: "Remove the TXT records" })).toHaveCount(1);
  expect(await bind.txt("_acme-challenge.dns.test")).toEqual([]);
  for (const name of ["a.dns.test", "dns.test"]) {
    expect(await handshake(name)).toEqual({ authorized: true, altNames: "DNS:*.dns.test, DNS:dns.test" });
  }
  const certificates = await api<{ domains: string[]; challenge: string; dnsProviderId: string | null; siteIds: string[] }[]>("GET", "/certificates");
  expect(certificates.find((certificate) => certificate.domains.join() === "*.dns.test,dns.test")).toMatchObject({
    challenge: "dns-01",
    dnsProviderId: ids.provider,
  });
});

test("a site without wildcards: the order form asks HTTP or DNS, and DNS asks which provider", async ({ page }) => {
  // Two labels under dns.test: a name the wildcard certificate above does not cover.
  const site = await api<{ id: string }>("POST", "/sites", { name: "Shop", hostnames: ["shop.eu.dns.test"], upstreams: [{ url: backend.url }] });
  await page.goto(`${product.dashboardUrl}/sites/${site.id}`);
  await page.getByRole("tab", { name: "HTTPS" }).click();
  await page.getByRole("button", { name: "Get Let's Encrypt certificate" }).click();
  const form = page.getByRole("form", { name: "Order a Let's Encrypt certificate" });
  await expect(form.getByLabel("HTTP (this proxy answers on port 80)")).toBeChecked();
  await expect(form.getByLabel("DNS provider", { exact: true })).toHaveCount(0);
  await form.getByLabel("DNS (a TXT record at your DNS provider)").check();
  await expect(form.getByLabel("DNS provider", { exact: true })).toHaveValue(ids.provider);
  await expect(form.getByRole("button", { name: "Order certificate" })).toBeVisible();
});

test("the pages at 390 and 1280 px, light and dark: no sideways scroll, no serious axe violation", async ({ page }) => {
  const heading = (p: typeof page) => expect(p.getByRole("heading", { level: 1 })).toBeVisible();
  await checkPageEverywhere(page, `${product.dashboardUrl}/dns-providers`, (p) => expect(p.getByTestId("dns-provider-row")).toHaveCount(1));
  await checkPageEverywhere(page, `${product.dashboardUrl}/dns-providers/new`, heading);
  await checkPageEverywhere(page, `${product.dashboardUrl}/dns-providers/${ids.provider}`, heading);
  await checkPageEverywhere(page, `${product.dashboardUrl}/sites/${ids.wildcardSite}?tab=https`, (p) =>
    expect(p.getByTestId("https-card").getByTestId("acme-progress").first()).toBeVisible(),
  );
});
