import { X509Certificate } from "node:crypto";
import http from "node:http";
import tls from "node:tls";
import { expect, test, type Page } from "@playwright/test";
import { setupCodeFrom, startProduct, type RunningProduct } from "./support/product";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { processTree } from "./support/process-tree";
import { TestCertificateFactory } from "../test-support/certs";

/**
 * A new user's first session, in a real Chromium against the product started as `npm start`
 * starts it: set up, sign in, put a local app behind the proxy, secure it, change it, remove it.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backendA: PageBackend;
let backendB: PageBackend;
const certificates = new TestCertificateFactory();
const email = "admin@example.com";
const password = "correct horse battery";

test.beforeAll(async () => {
  [backendA, backendB] = await Promise.all([startPageBackend("backend A"), startPageBackend("backend B")]);
  product = await startProduct();
});

test.afterAll(async () => {
  await product?.stop();
  await Promise.all([backendA?.close(), backendB?.close()]);
  certificates.cleanup();
});

const proxied = (path = "/") => `http://app.test:${product.httpPort}${path}`;

/** GET through the proxy with Host: app.test, straight from Node (status and body). */
function viaProxy(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, headers: { host: "app.test" } }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

/** The certificate the proxy presents for a TLS handshake with this SNI name. */
function presentedCertificate(servername: string): Promise<tls.PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port: product.httpsPort, servername, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.on("error", reject);
  });
}

async function signIn(page: Page, withPassword: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(withPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("set up with the code from the log, then sign out and back in", async ({ page }) => {
  await page.goto(product.dashboardUrl);
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Setup code").fill(setupCodeFrom(product.log()));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByTestId("proxy-status")).toHaveAttribute("data-up", "true");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`${product.dashboardUrl}/sites`);
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, "not my password");
  await expect(page.getByTestId("login-error")).toHaveText(/Wrong email or password/);
  await signIn(page, password);
  await expect(page.getByRole("link", { name: "Sites" })).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);
});

test.describe("with a signed-in admin", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto(`${product.dashboardUrl}/login`);
    await signIn(page, password);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });

  test("add a site for a local backend and see the backend through the proxy", async ({ page }) => {
    await page.goto(`${product.dashboardUrl}/sites/new`);
    await page.getByLabel("Site name").fill("My app");
    await page.getByLabel("Hostnames").fill("app.test\nbad host!");
    await page.getByRole("tab", { name: "Upstreams and health" }).click();
    await page.getByLabel("Upstream servers").fill(backendA.url);
    await page.getByRole("button", { name: "Add site" }).click();
    await expect(page.locator("#site-hostnames-error")).toContainText("Line 2");
    await expect(page.getByLabel("Site name")).toHaveValue("My app");

    await page.getByLabel("Hostnames").fill("app.test");
    await page.getByRole("button", { name: "Add site" }).click();
    await expect(page).toHaveURL(/\/sites\/[^/]+\?created=1$/);
    await expect(page.getByTestId("site-status")).toHaveText("Live");

    await page.goto(proxied());
    await expect(page.getByRole("heading", { name: "Hello from backend A" })).toBeVisible();
  });

  test("upload a certificate, see a clear error for a mismatched key, and reach the site over HTTPS", async ({ page, browser }) => {
    // RSA, as `openssl req -x509 -newkey rsa:2048` makes it: the proxy's own certificate is EC.
    const good = certificates.selfSigned(["app.test"], "rsa-2048");
    const mismatched = certificates.mismatchedKey(["app.test"]);

    await page.goto(`${product.dashboardUrl}/certificates/new`);
    await page.getByLabel("Name (optional)").fill("App certificate");
    await page.getByLabel("Certificate (PEM)").fill(good.certificatePem);
    await page.getByLabel("Private key (PEM)").fill(mismatched.privateKeyPem);
    await page.getByRole("button", { name: "Upload certificate" }).click();
    await expect(page.locator("#upload-private-key-error")).toContainText("does not belong to the certificate");

    await page.getByLabel("Private key (PEM)").fill(good.privateKeyPem);
    await page.getByRole("button", { name: "Upload certificate" }).click();
    await expect(page.getByTestId("certificate-created")).toBeVisible();

    await page.goto(`${product.dashboardUrl}/sites`);
    await page.getByRole("link", { name: "My app" }).first().click();
    await page.getByRole("tab", { name: "HTTPS" }).click();
    const certificateSelect = page.getByLabel("HTTPS certificate");
    const option = certificateSelect.locator("option", { hasText: "App certificate" });
    await certificateSelect.selectOption((await option.getAttribute("value"))!);
    await page.getByRole("button", { name: "Save site" }).click();
    await expect(page.getByTestId("form-success")).toBeVisible();

    // The save is live once the proxy presents the uploaded certificate for this SNI name.
    const uploaded = new X509Certificate(good.certificatePem);
    await expect.poll(async () => (await presentedCertificate("app.test")).fingerprint256).toBe(uploaded.fingerprint256);
    expect((await presentedCertificate("app.test")).subject.CN).toBe("app.test");
    await expect(page.getByTestId("site-status")).toHaveText("Live");

    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const securePage = await context.newPage();
    await securePage.goto(`https://app.test:${product.httpsPort}/`);
    await expect(securePage.getByRole("heading", { name: "Hello from backend A" })).toBeVisible();
    await context.close();

    await page.goto(product.dashboardUrl);
    await expect(page.getByTestId("certificate-row").first().getByTestId("expiry")).toHaveAttribute("data-colour", "red");
    await page.screenshot({ path: "docs/dashboard.png", fullPage: true });
  });

  test("change the upstream and see it live", async ({ page }) => {
    await page.goto(`${product.dashboardUrl}/sites`);
    await page.getByRole("link", { name: "My app" }).first().click();
    await page.getByRole("tab", { name: "Upstreams and health" }).click();
    await page.getByLabel("Upstream servers").fill(backendB.url);
    const saved = Date.now();
    await page.getByRole("button", { name: "Save site" }).click();
    await expect.poll(async () => (await viaProxy()).body, { timeout: 5_000 }).toContain("Hello from backend B");
    test.info().annotations.push({ type: "save-to-serving", description: `${Date.now() - saved} ms` });
    await expect(page.getByTestId("site-status")).toHaveText("Live");
  });

  test("restarting the dashboard does not interrupt traffic", async ({ page }) => {
    const pid = Number(product.log().match(/dashboard started \(pid (\d+)\)/)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const failures: string[] = [];
    let served = 0;
    let done = false;
    const traffic = (async () => {
      while (!done) {
        const response = await viaProxy().catch((error: Error) => ({ status: 0, body: error.message }));
        if (response.status === 200) served++;
        else failures.push(`${response.status} ${response.body.slice(0, 80)}`);
      }
    })();
    process.kill(pid, "SIGKILL");
    await expect.poll(() => product.log().match(/dashboard started \(pid \d+\)/g)?.length ?? 0, { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await page.goto(`${product.dashboardUrl}/sites`).catch(() => null))?.status() ?? 0, { timeout: 30_000 }).toBe(200);
    done = true;
    await traffic;
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(10);
  });

  test("disable the site, then delete it", async ({ page }) => {
    await page.goto(`${product.dashboardUrl}/sites`);
    await page.getByRole("link", { name: "My app" }).first().click();
    await page.getByRole("button", { name: "Disable site" }).click();
    await expect(page.getByTestId("site-status")).toHaveText("Disabled");
    await expect.poll(async () => (await viaProxy()).status).toBe(404);
    const notFound = await viaProxy();
    expect(notFound.body).not.toMatch(/127\.0\.0\.1|backend|secret/i);

    await page.getByRole("button", { name: "Enable site" }).click();
    await expect.poll(async () => (await viaProxy()).status).toBe(200);

    await page.getByRole("button", { name: "Delete site" }).click();
    await page.getByRole("button", { name: "Confirm delete" }).click();
    await expect(page).toHaveURL(/\/sites\?deleted=/);
    await expect.poll(async () => (await viaProxy()).status).toBe(404);
    await expect(page.getByRole("link", { name: "My app" })).toHaveCount(0);
  });
});

test("runs compiled JavaScript only: no TypeScript loader or build tool at run time", () => {
  const tree = processTree(product.pid);
  const commands = tree.map((each) => each.args).join("\n");
  expect(commands).not.toMatch(/tsx|esbuild|ts-node/);
  // The launcher (which is the proxy primary too), the dashboard and the two workers, and nothing else.
  expect(tree).toHaveLength(4);
  for (const entry of ["dashboard", "proxy-worker"]) expect(commands).toContain(`dist/${entry}.js`);
  expect(tree.filter((each) => each.args.includes("dist/proxy-worker.js"))).toHaveLength(2);
});

test("stopping the launcher stops the dashboard and the proxy cleanly", async () => {
  expect(await product.stop()).toBe(0);
  await expect(viaProxy()).rejects.toThrow(/ECONNREFUSED/);
  await expect(fetch(product.dashboardUrl)).rejects.toThrow();
});
