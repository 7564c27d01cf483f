import { expect, type Page, test } from "@playwright/test";
import { unusedPort } from "@/test-support/backend";
import { expectNoSeriousAxeViolations } from "./support/page-checks";
import { type RunningProduct, startProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/** Streams as a person manages them in the dashboard: add with mistakes, a port already taken, edit, delete. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
const admin = { email: "admin@example.com", password: "a long admin password" };
/** Free ports for the streams to listen on, and one the upstreams point at (nothing needs to answer there). */
let databasePort: number;
let cachePort: number;
let upstreamPort: number;

test.beforeAll(async () => {
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  [databasePort, cachePort, upstreamPort] = await Promise.all([unusedPort(), unusedPort(), unusedPort()]);
});

test.afterAll(async () => {
  await product?.stop();
});

test.beforeEach(async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
});

const row = (page: Page, name: string) => page.getByTestId("stream-row").filter({ hasText: name });

async function addStream(page: Page, { name, port, upstreams }: { name: string; port: number; upstreams: string }) {
  await page.goto(`${product.dashboardUrl}/streams/new`);
  await page.getByLabel("Stream name").fill(name);
  await page.getByLabel("Listen port").fill(String(port));
  await page.getByLabel("Upstream servers").fill(upstreams);
  await page.getByRole("button", { name: "Add stream" }).click();
}

test("add a stream after fixing a bad port and a bad upstream the form points out, and see it in the list", async ({ page }) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Streams" }).click();
  await expect(page).toHaveURL(/\/streams$/);
  await expect(page.getByText("No streams yet")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "empty streams list");
  await page.getByRole("link", { name: "Add stream" }).click();
  await expect(page).toHaveURL(/\/streams\/new$/);
  await expectNoSeriousAxeViolations(page, "new stream form");

  await page.getByLabel("Stream name").fill("Database");
  await page.getByLabel("Listen port").fill("70000");
  await page.getByLabel("Upstream servers").fill(`127.0.0.1:${upstreamPort} weight=3\nhttp://127.0.0.1:${upstreamPort}`);
  await page.getByRole("button", { name: "Add stream" }).click();

  await expect(page.locator("#stream-listen-port-error")).toContainText("65535");
  await expect(page.locator("#stream-upstreams-error")).toContainText("Line 2");
  await expect(page.locator("#stream-upstreams-error")).toContainText("tcp://");
  await expect(page.getByTestId("form-error")).toBeVisible();
  await expect(page.getByLabel("Listen port")).toBeFocused();
  // Nothing typed is lost.
  await expect(page.getByLabel("Stream name")).toHaveValue("Database");
  await expectNoSeriousAxeViolations(page, "stream form with errors");

  await page.getByLabel("Listen port").fill(String(databasePort));
  await page.getByLabel("Upstream servers").fill(`127.0.0.1:${upstreamPort} weight=3\ntcp://127.0.0.1:${upstreamPort + 1}`);
  await page.getByLabel("Tell the upstream the client's address (PROXY protocol v2)").check();
  await page.getByRole("button", { name: "Add stream" }).click();

  await expect(page).toHaveURL(/\/streams\/[^/?]+\?created=1$/);
  await expect(page.getByTestId("flash")).toBeVisible();
  await expect(page.getByLabel("Upstream servers")).toHaveValue(`tcp://127.0.0.1:${upstreamPort} weight=3\ntcp://127.0.0.1:${upstreamPort + 1}`);
  await expect(page.getByLabel("Tell the upstream the client's address (PROXY protocol v2)")).toBeChecked();

  await page.getByRole("link", { name: "← Streams" }).click();
  const database = row(page, "Database");
  await expect(database.getByTestId("stream-protocol")).toHaveText("TCP");
  await expect(database.getByTestId("stream-port")).toHaveText(String(databasePort));
  await expect(database).toContainText(`tcp://127.0.0.1:${upstreamPort}`);
  await expect(database.getByTestId("stream-status")).toBeVisible();
  await expect(database.getByTestId("site-health")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "streams list");
});

test("a port another stream has is refused on the port field, naming that stream", async ({ page }) => {
  await addStream(page, { name: "Cache", port: databasePort, upstreams: `127.0.0.1:${upstreamPort}` });
  await expect(page.locator("#stream-listen-port-error")).toContainText(`Port ${databasePort}`);
  await expect(page.locator("#stream-listen-port-error")).toContainText("Database");
  await expect(page).toHaveURL(/\/streams\/new$/);

  await page.getByLabel("Listen port").fill(String(cachePort));
  await page.getByRole("button", { name: "Add stream" }).click();
  await expect(page).toHaveURL(/\/streams\/[^/?]+\?created=1$/);
});

test("edit a stream: UDP hides the PROXY protocol and says its servers are not actively checked; the list shows the change", async ({ page }) => {
  await page.goto(`${product.dashboardUrl}/streams`);
  await page.getByRole("link", { name: "Cache" }).click();
  await expect(page.getByTestId("udp-not-checked")).toHaveCount(0);
  await page.getByLabel("Stream name").fill("Cache and DNS");
  await page.getByRole("radio", { name: /^UDP/ }).check();
  await expect(page.getByLabel("Tell the upstream the client's address (PROXY protocol v2)")).toHaveCount(0);
  await expect(page.getByTestId("udp-not-checked")).toBeVisible();
  // A UDP stream forwards to udp:// upstreams: the tcp:// one is named.
  await page.getByLabel("Upstream servers").fill(`tcp://127.0.0.1:${upstreamPort}`);
  await page.getByRole("button", { name: "Save stream" }).click();
  await expect(page.locator("#stream-upstreams-error")).toContainText("udp://");

  await page.getByLabel("Upstream servers").fill(`127.0.0.1:${upstreamPort}`);
  await page.getByLabel("Idle timeout (seconds)").fill("30");
  await page.getByRole("button", { name: "Save stream" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  await expect(page.getByLabel("Upstream servers")).toHaveValue(`udp://127.0.0.1:${upstreamPort}`);
  await expect(page.getByLabel("Idle timeout (seconds)")).toHaveValue("30");

  await page.getByRole("link", { name: "← Streams" }).click();
  const edited = row(page, "Cache and DNS");
  await expect(edited.getByTestId("stream-protocol")).toHaveText("UDP");
  await expect(edited.getByTestId("site-health-label")).toContainText("Not checked (UDP)");
});

test("delete a stream after confirming", async ({ page }) => {
  await page.goto(`${product.dashboardUrl}/streams`);
  await expect(page.getByTestId("stream-row")).toHaveCount(2);
  await page.getByRole("link", { name: "Cache and DNS" }).click();
  await page.getByRole("button", { name: "Delete stream" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page).toHaveURL(/\/streams\?deleted=/);
  await expect(page.getByTestId("flash")).toContainText("Cache and DNS");
  await expect(page.getByTestId("stream-row")).toHaveCount(1);
  await expect(row(page, "Database")).toBeVisible();
});
