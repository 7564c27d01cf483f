import { expect, type Page, test } from "@playwright/test";
import { startOidcProvider, type TestOidcProvider } from "@/test-support/oidc-provider";
import { apiToken } from "./support/api-token";
import { checkPageEverywhere, expectNoSeriousAxeViolations } from "./support/page-checks";
import { startProduct, type RunningProduct } from "./support/product";
import { signIn } from "./support/sign-in";

/**
 * Single sign-on as an admin sets it up: the settings point at a real OpenID provider (oidc-provider
 * on 127.0.0.1), and a person who has an account signs in through the provider's own pages.
 */
test.describe.configure({ mode: "serial" });

let product: RunningProduct;
let provider: TestOidcProvider;
const admin = { email: "admin@example.com", password: "a long admin password" };

test.beforeAll(async () => {
  product = await startProduct({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  provider = await startOidcProvider({
    redirectUris: [`${product.dashboardUrl}/api/auth/oidc/callback`],
    accounts: [
      { login: "ada", email: "ada@example.com", emailVerified: true },
      { login: "stranger", email: "stranger@example.com", emailVerified: true },
    ],
  });
  // Ada has an account here (an operator, invited), but no password: the provider vouches for her.
  const token = await apiToken(product.dashboardUrl, admin);
  const invited = await fetch(`${product.dashboardUrl}/api/v1/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ email: "ada@example.com", role: "operator" }),
  });
  expect(invited.status).toBe(201);
});

test.afterAll(async () => {
  await product?.stop();
  await provider?.close();
});

/** Everything stays on this machine: the provider's page asks for a web font, which is refused. */
test.beforeEach(async ({ page }) => {
  await page.route(
    (url) => !["127.0.0.1", "[::1]"].includes(url.hostname),
    (route) => route.abort(),
  );
});

async function signInThroughProvider(page: Page, login: string) {
  await page.goto(`${product.dashboardUrl}/login`);
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("an admin sets up single sign-on, and a person with an account signs in through the provider", async ({ page }) => {
  await signIn(page, product.dashboardUrl, admin);
  await page.goto(`${product.dashboardUrl}/settings`);
  const section = page.getByTestId("oidc-settings");
  await expect(section.getByLabel("Redirect URI to register at your provider")).toHaveValue(`${product.dashboardUrl}/api/auth/oidc/callback`);

  // Turning it on without a client says which field is missing.
  await section.getByRole("switch", { name: "Show “Sign in with …” on the sign-in page" }).check();
  await section.getByLabel("Issuer URL").fill(provider.issuer);
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.locator("#settings-oidc-client-id-error")).toHaveText("Enter the client ID to turn on single sign-on");

  await section.getByLabel("Client ID").fill(provider.clientId);
  await section.getByLabel("Client secret").fill(provider.clientSecret);
  await section.getByLabel("Name on the button").fill("Test IdP");
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByTestId("oidc-saved")).toBeVisible();
  await expect(section.getByText("A secret is saved (it is never shown). Leave this empty to keep it.")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "settings, single sign-on", (builder) => builder.include('[data-testid="oidc-settings"]'));

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in with Test IdP" })).toBeVisible();

  await signInThroughProvider(page, "ada");
  await expect(page).toHaveURL(`${product.dashboardUrl}/`);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByText("ada@example.com").first()).toBeAttached();
  // The session is Ada's, an operator's.
  const me = await page.request.post(`${product.dashboardUrl}/api/v1/sites`, {
    data: { name: "Ada's", hostnames: ["ada.test"], upstreams: [{ url: "http://127.0.0.1:9" }] },
  });
  expect(me.status()).toBe(201);
});

test("someone without an account is sent back to the sign-in page, told why in plain words", async ({ page }) => {
  await signInThroughProvider(page, "stranger");
  await expect(page).toHaveURL(/\/login\?sso_error=unknown_user$/);
  await expect(page.getByTestId("sso-error")).toHaveText("There is no account here for your email address. Ask an admin to invite you.");
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
});

test("the sign-in page with its single sign-on button reads well at every width, light and dark", async ({ page }) => {
  await checkPageEverywhere(page, `${product.dashboardUrl}/login?sso_error=state`, async (ready) => {
    await expect(ready.getByRole("link", { name: "Sign in with Test IdP" })).toBeVisible();
    await expect(ready.getByTestId("sso-error")).toBeVisible();
  });
});
