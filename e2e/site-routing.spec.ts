import { expect, type Page, test } from "@playwright/test";
import { apiToken } from "./support/api-token";
import { type PageBackend, startPageBackend } from "./support/backend-page";
import { checkPageEverywhere } from "./support/page-checks";
import { type RunningProduct, startProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/** The Routing tab of the site editor: routes in the user's order, the whole site as a redirect, maintenance. */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let backend: PageBackend;
let token: string;
let siteId: string;
const admin = { email: "admin@example.com", password: "correct horse battery" };

interface ApiRoute {
  id: string;
  pathPrefix: string;
}

const route = (page: Page, place: number) => page.getByRole("group", { name: `Route ${place}`, exact: true });

async function api(path: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${product.dashboardUrl}/api/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  });
  expect(response.ok, `${path} answered ${response.status}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

const readRoutes = async () => (await api(`/sites/${siteId}`)).routes as ApiRoute[];

async function openRouting(page: Page, id = siteId) {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/${id}?tab=routing`);
  await expect(page.getByRole("tab", { name: "Routing" })).toHaveAttribute("aria-selected", "true");
}

test.beforeAll(async () => {
  backend = await startPageBackend("the routing backend");
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  token = await apiToken(product.dashboardUrl, admin);
  const site = await api("/sites", {
    method: "POST",
    body: JSON.stringify({
      name: "Routed",
      hostnames: ["routed.test"],
      upstreams: [{ url: backend.url }],
      routes: [
        { pathPrefix: "/a", upstreams: [{ url: backend.url }] },
        { pathPrefix: "/b", redirect: { to: "https://b.example.com", status: 301, preservePath: true } },
        { pathPrefix: "/c", respond: { status: 200, contentType: "text/plain", body: "c" } },
      ],
    }),
  });
  siteId = site.id as string;
});

test.afterAll(async () => {
  await product?.stop();
  await backend?.close();
});

test("a route added, moved up and another removed: saved in the order shown, the routes that stayed keep their ids", async ({ page }) => {
  const [, b, c] = await readRoutes();
  await openRouting(page);
  await expect(page.getByTestId("route")).toHaveCount(3);

  await page.getByRole("button", { name: "Add route" }).click();
  await route(page, 4).getByLabel("Path prefix").fill("/d");
  await route(page, 4).getByLabel("Upstream servers for this route").fill(backend.url);
  await page.getByRole("button", { name: "Move up route 4" }).click();
  await expect(route(page, 3).getByLabel("Path prefix")).toHaveValue("/d");
  await expect(page.getByRole("button", { name: "Move up route 3" })).toBeFocused();
  await page.getByRole("button", { name: "Remove route 1" }).click();
  await expect(page.getByTestId("route")).toHaveCount(3);
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();

  const saved = await readRoutes();
  expect(saved.map(({ pathPrefix }) => pathPrefix)).toEqual(["/b", "/d", "/c"]);
  expect(saved[0]?.id).toBe(b?.id);
  expect(saved[2]?.id).toBe(c?.id);
  expect(saved[1]?.id).not.toBe(b?.id);
  // Read back into the editor in the same order.
  await page.reload();
  for (const [index, prefix] of ["/b", "/d", "/c"].entries()) await expect(route(page, index + 1).getByLabel("Path prefix")).toHaveValue(prefix);
});

test("the live example follows a strip-and-add route as it is typed, and says which route is tried first", async ({ page }) => {
  await openRouting(page);
  await page.getByRole("button", { name: "Add route" }).click();
  const added = route(page, 4);
  await added.getByLabel("Path prefix").fill("/api");
  await added.getByLabel("Upstream servers for this route").fill("http://10.0.0.7:8080");
  await expect(added.getByTestId("route-example")).toHaveText("Example: /api/page goes to http://10.0.0.7:8080/api/page.");
  await added.getByLabel("Strip the prefix").check();
  await added.getByLabel("Add a prefix").fill("/v2");
  await expect(added.getByTestId("route-example")).toHaveText("Example: /api/page goes to http://10.0.0.7:8080/v2/page.");

  await added.getByLabel("Path prefix").fill("/b/x");
  await expect(added.getByTestId("route-try-order")).toHaveText("Tried 1st");
  await expect(added.getByTestId("route-try-note")).toHaveText("Tried before route 1, which could take the same requests.");
  await expect(route(page, 1).getByTestId("route-try-note")).toHaveText("Route 4 could take the same requests and is tried before this one.");
});

test("an invalid prefix shows its error at that route's field, and nothing is saved", async ({ page }) => {
  const before = await readRoutes();
  await openRouting(page);
  await route(page, 2).getByLabel("Path prefix").fill("api");
  await page.getByRole("tab", { name: "Details" }).click();
  await page.getByRole("button", { name: "Save site" }).click();

  await expect(page.getByRole("tab", { name: /^Routing/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tab", { name: /^Routing/ })).toHaveAttribute("data-error", "true");
  const field = route(page, 2).getByLabel("Path prefix");
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#site-route-1-prefix-error")).toContainText("Start the path with /");
  await expect(field).toHaveValue("api");
  expect(await readRoutes()).toEqual(before);
});

test("maintenance switched on with a message is saved", async ({ page }) => {
  await openRouting(page);
  await page.getByRole("switch", { name: "Maintenance mode" }).check();
  await page.getByLabel("Message for visitors").fill("Back at 14:00 UTC.");
  await page.getByRole("button", { name: "Save site" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  expect((await api(`/sites/${siteId}`)).maintenance).toEqual({ enabled: true, message: "Back at 14:00 UTC." });
});

test("a redirection host is saved without upstream servers", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/sites/new`);
  await page.getByLabel("Site name").fill("Old shop");
  await page.getByLabel("Hostnames").fill("old-shop.test");
  await page.getByRole("tab", { name: "Routing" }).click();
  await page.getByRole("switch", { name: "Redirect the whole site" }).check();
  await expect(page.getByText("so the site needs no upstream servers")).toBeVisible();
  await page.getByLabel("Redirect to").fill("https://shop.example.com");
  await page.getByLabel("Kind of redirect").selectOption("308");
  await page.getByRole("tab", { name: "Upstreams and health" }).click();
  await expect(page.getByText("Not needed while the whole site redirects")).toBeVisible();
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.getByTestId("flash")).toBeVisible();

  const id = new URL(page.url()).pathname.split("/").at(-1);
  const site = await api(`/sites/${id}`);
  expect(site.upstreams).toEqual([]);
  expect(site.redirect).toEqual({ to: "https://shop.example.com", status: 308, preservePath: true });
});

test("with routes of every kind, a header match and the error pages open: no sideways scroll and no serious axe violation, at 390 and 1280 px, light and dark", async ({
  page,
}) => {
  await signIn(page, product.dashboardUrl, admin);
  await checkPageEverywhere(page, `${product.dashboardUrl}/sites/${siteId}?tab=routing`, async (ready) => {
    await expect(ready.getByTestId("route")).toHaveCount(3);
    await route(ready, 1).getByRole("button", { name: "Add header match" }).click();
    await route(ready, 1).getByLabel("Header 1 name of route 1").fill("X-Version");
    await ready.getByTestId("error-pages-toggle").click();
    await expect(ready.getByLabel(/^404/)).toBeVisible();
  });
});
