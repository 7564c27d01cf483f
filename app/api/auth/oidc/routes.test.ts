import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { createFirstAdmin } from "@/lib/auth/users";
import { updateAppSettings } from "@/lib/services/settings";
import { callRoute } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import { startOidcProvider, type TestOidcProvider } from "@/test-support/oidc-provider";
import * as callback from "./callback/route";
import * as login from "./login/route";

/** The routes as the dashboard server calls them; the whole signed-in trip is in e2e/oidc.spec.ts. */
const HOST = "dashboard.test:3000";

let provider: TestOidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider({
    redirectUris: [`http://${HOST}/api/auth/oidc/callback`],
    accounts: [{ login: "admin", email: "admin@example.com", emailVerified: true }],
  });
});
afterAll(() => provider.close());

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  await createFirstAdmin("admin@example.com", "long enough pw");
});
afterEach(() => cleanup());

const flowCookieOf = (response: Response) => /gk_oidc=([^;]*)/.exec(response.headers.get("set-cookie") ?? "")?.[1];

it("sends the browser back to /login with a reason while single sign-on is off", async () => {
  const response = await callRoute(login.GET, "GET", "/api/auth/oidc/login", { headers: { host: HOST } });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/login?sso_error=disabled");
});

it("starts at the provider with a short-lived HttpOnly Lax flow cookie, and refuses a tampered state without a 500", async () => {
  await updateAppSettings({ oidc: { enabled: true, issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret } });
  const started = await callRoute(login.GET, "GET", "/api/auth/oidc/login", { headers: { host: HOST } });
  expect(started.status).toBe(303);
  const location = started.headers.get("location") ?? "";
  expect(location.startsWith(`${provider.issuer}/`)).toBe(true);
  expect(new URL(location).searchParams.get("redirect_uri")).toBe(`http://${HOST}/api/auth/oidc/callback`);
  const setCookie = started.headers.get("set-cookie") ?? "";
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=lax/i);
  expect(setCookie).toMatch(/Path=\/api\/auth\/oidc/);
  expect(setCookie).toMatch(/Max-Age=600/);

  const back = await provider.signIn(location, "admin");
  back.searchParams.set("state", "forged");
  const answer = await callRoute(callback.GET, "GET", `/api/auth/oidc/callback${back.search}`, {
    headers: { host: HOST, cookie: `gk_oidc=${flowCookieOf(started)}` },
  });
  expect(answer.status).toBe(303);
  expect(answer.headers.get("location")).toBe("/login?sso_error=state");
  expect(answer.headers.get("set-cookie")).toMatch(/gk_oidc=;/);
  expect(answer.headers.get("set-cookie")).not.toMatch(/gk_session=/);
});
