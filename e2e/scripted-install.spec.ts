import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { START_COMMAND, startProduct, type RunningProduct } from "./support/product";
import { startPageBackend, type PageBackend } from "./support/backend-page";
import { unusedPort } from "../test-support/backend";

/** An install driven by a script: the admin from the environment, everything else through the API. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backend: PageBackend;
const admin = { email: "ops@example.com", password: "a long scripted password" };

test.beforeAll(async () => {
  backend = await startPageBackend("the scripted app");
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

async function api(method: string, route: string, token: string | null, body?: unknown) {
  const response = await fetch(`${product.dashboardUrl}/api/v1${route}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> };
}

test("ADMIN_EMAIL/ADMIN_PASSWORD create the admin: no setup code, no setup page", async ({ page }) => {
  expect(product.log()).toContain(`Created the admin account ${admin.email}`);
  expect(product.log()).not.toContain("Setup code");
  await page.goto(`${product.dashboardUrl}/setup`);
  await expect(page).toHaveURL(/\/login/);
});

test("a script gets a token and puts a site live through the API", async () => {
  const refused = await api("POST", "/tokens", null, { ...admin, password: "wrong", name: "ci" });
  expect(refused.status).toBe(401);
  const created = await api("POST", "/tokens", null, { ...admin, name: "ci" });
  expect(created.status).toBe(201);
  const token = created.body.token as string;

  const site = await api("POST", "/sites", token, {
    name: "Scripted",
    hostnames: ["scripted.test"],
    upstreams: [{ url: backend.url }],
  });
  expect(site.status).toBe(201);
  const certificate = await api("POST", "/certificates", token, { type: "self-signed", domains: ["scripted.test"] });
  expect(certificate.status).toBe(201);
  const patched = await api("PATCH", `/sites/${site.body.id as string}`, token, { certificateId: certificate.body.id });
  expect(patched.status).toBe(200);

  await expect
    .poll(async () => (await api("GET", `/sites/${site.body.id as string}`, token)).body.status, { timeout: 10_000 })
    .toMatchObject({ applied: true, error: null });
  const status = await api("GET", "/status", token);
  expect(status.body).toMatchObject({ proxy: { up: true, workers: 2, http: { port: product.httpPort } } });
  expect(status.body.appliedRevision).toBe(status.body.configRevision);

  // fetch() may not set Host; a raw request can, as any browser resolving scripted.test would.
  const body = await new Promise<string>((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: product.httpPort, headers: { host: "scripted.test" } }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve(text));
      })
      .on("error", reject);
  });
  expect(body).toContain("Hello from the scripted app");
});

test("the data folder and its files are readable by the owner only", () => {
  const mode = (file: string) => (statSync(path.join(product.dataDir, file)).mode & 0o777).toString(8);
  expect(mode(".")).toBe("700");
  expect(mode("gatekeeper.db")).toBe("600");
  expect(mode("secret.key")).toBe("600");
});

test("a dashboard port that is taken gives a one-line answer, not a stack trace", async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const taken = (blocker.address() as net.AddressInfo).port;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gk-e2e-port-"));
  const launcher = spawn(process.execPath, START_COMMAND, {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DASHBOARD_PORT: String(taken),
      DASHBOARD_HOST: "127.0.0.1",
      HTTP_PORT: String(await unusedPort()),
      HTTPS_PORT: String(await unusedPort()),
      PROXY_CONTROL_PORT: String(await unusedPort()),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  launcher.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => launcher.once("exit", resolve));
  blocker.close();
  rmSync(dataDir, { recursive: true, force: true });
  expect(code).toBe(1);
  expect(stderr.trim()).toBe(
    `Cannot listen on port ${taken}: another program already uses it. Stop that program or choose another port, e.g. DASHBOARD_PORT=${taken + 1}.`,
  );
});
