import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { unusedPort } from "@/test-support/backend";
import { useTempDatabase } from "@/test-support/database";
import { startOidcProvider, type TestOidcProvider } from "@/test-support/oidc-provider";
import { db } from "../db";
import { updateAppSettings } from "../services/settings";
import { beginOidcSignIn, finishOidcSignIn } from "./oidc";
import { OidcSignInError } from "./oidc-failure";
import { userForSession } from "./sessions";
import { createFirstAdmin } from "./users";

/** The dashboard's address: only the redirect URI is built from it, and the provider checks it. */
const ORIGIN = "http://dashboard.test:3000";

let provider: TestOidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider({
    redirectUris: [`${ORIGIN}/api/auth/oidc/callback`],
    accounts: [
      { login: "ada", email: "Ada@Example.com", emailVerified: true },
      { login: "newcomer", email: "newcomer@example.com", emailVerified: true },
      { login: "unverified", email: "admin@example.com", emailVerified: false },
    ],
  });
});
afterAll(() => provider.close());

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  await createFirstAdmin("admin@example.com", "long enough pw");
  await db().user.create({ data: { email: "ada@example.com", passwordHash: "", role: "operator" } });
  await updateAppSettings({
    oidc: { enabled: true, issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, displayName: "Test IdP" },
  });
});
afterEach(() => cleanup());

/** The whole trip: our redirect, the provider's pages as `login`, and back to the callback. */
async function signInAs(login: string, options: { deny?: boolean } = {}) {
  const { url, flowCookie } = await beginOidcSignIn(ORIGIN);
  const callback = await provider.signIn(url, login, options);
  expect(callback.origin + callback.pathname).toBe(`${ORIGIN}/api/auth/oidc/callback`);
  return { callback, flowCookie };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OidcSignInError);
  return (error as OidcSignInError).reason;
}

const auditActions = async () => (await db().auditEntry.findMany({ orderBy: { at: "asc" } })).map((entry) => `${entry.action} ${entry.actor}`);

it("sends the browser to the provider with PKCE, state and nonce", async () => {
  const { url } = await beginOidcSignIn(ORIGIN);
  const params = new URL(url).searchParams;
  expect(url.startsWith(`${provider.issuer}/`)).toBe(true);
  expect(params.get("client_id")).toBe(provider.clientId);
  expect(params.get("redirect_uri")).toBe(`${ORIGIN}/api/auth/oidc/callback`);
  expect(params.get("code_challenge_method")).toBe("S256");
  expect(params.get("code_challenge")).toMatch(/^[\w-]{43}$/);
  expect(params.get("state")).toBeTruthy();
  expect(params.get("nonce")).toBeTruthy();
});

it("signs an existing user in by the provider's verified email, with a session and the history", async () => {
  const { callback, flowCookie } = await signInAs("ada");
  const result = await finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie);
  expect(result.user).toMatchObject({ email: "ada@example.com", role: "operator" });
  expect(await userForSession(result.token)).toMatchObject({ email: "ada@example.com", role: "operator" });
  const row = await db().user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
  expect(row.lastSignInAt).not.toBeNull();
  expect(await auditActions()).toContain("sign-in ada@example.com");
});

it("refuses someone without an account under the default policy", async () => {
  const { callback, flowCookie } = await signInAs("newcomer");
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie))).toBe("unknown_user");
  expect(await db().user.findUnique({ where: { email: "newcomer@example.com" } })).toBeNull();
  expect(await auditActions()).toContain("sign-in-failed newcomer@example.com");
});

it("creates a new person with the chosen role when the settings let new people in", async () => {
  await updateAppSettings({ oidc: { newUsersRole: "viewer" } });
  const { callback, flowCookie } = await signInAs("newcomer");
  const result = await finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie);
  expect(result.user).toMatchObject({ email: "newcomer@example.com", role: "viewer" });
  const row = await db().user.findUniqueOrThrow({ where: { email: "newcomer@example.com" } });
  expect(row).toMatchObject({ role: "viewer", passwordHash: "" });
});

it("refuses an email the provider has not verified, even one that has an account here", async () => {
  await updateAppSettings({ oidc: { newUsersRole: "admin" } });
  const { callback, flowCookie } = await signInAs("unverified");
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie))).toBe("unverified");
  expect(await db().session.count()).toBe(0);
  expect(await auditActions()).toContain("sign-in-failed admin@example.com");
});

it("refuses a tampered state, an answer for another sign-in, and a missing flow cookie", async () => {
  const { callback, flowCookie } = await signInAs("ada");
  const tampered = new URLSearchParams(callback.searchParams);
  tampered.set("state", `${tampered.get("state")}x`);
  expect(await refusal(finishOidcSignIn(ORIGIN, tampered, flowCookie))).toBe("state");
  // Another browser's flow: its own state, which this answer does not carry.
  const other = await beginOidcSignIn(ORIGIN);
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, other.flowCookie))).toBe("state");
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, undefined))).toBe("expired");
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, `${flowCookie.slice(0, -4)}AAAA`))).toBe("expired");
  expect(await db().session.count()).toBe(0);
});

it("refuses an old flow and a code used twice", async () => {
  const { callback, flowCookie } = await signInAs("ada");
  const later = new Date(Date.now() + 11 * 60 * 1000);
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie, later))).toBe("expired");
  await finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie);
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie))).toBe("failed");
});

it("says the person cancelled when they deny at the provider", async () => {
  const { callback, flowCookie } = await signInAs("ada", { deny: true });
  expect(callback.searchParams.get("error")).toBe("access_denied");
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie))).toBe("denied");
});

it("says the provider is unreachable when it is down, and that sign-in is off when it is", async () => {
  const { callback, flowCookie } = await signInAs("ada");
  await updateAppSettings({ oidc: { issuer: `http://127.0.0.1:${await unusedPort()}` } });
  expect(await refusal(finishOidcSignIn(ORIGIN, callback.searchParams, flowCookie))).toBe("unavailable");
  expect(await refusal(beginOidcSignIn(ORIGIN))).toBe("unavailable");
  await updateAppSettings({ oidc: { enabled: false } });
  expect(await refusal(beginOidcSignIn(ORIGIN))).toBe("disabled");
});
