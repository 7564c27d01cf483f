import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Account } from "oidc-provider";

/** A person at the test provider: signs in with `login` (any password) and has this email. */
export interface ProviderAccount {
  login: string;
  email: string;
  emailVerified: boolean;
}

export interface TestOidcProvider {
  /** http://127.0.0.1:<port>: what goes into the dashboard's issuer setting. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Goes through the provider's own pages as a browser would (fetch with a cookie jar): opens the
   * authorization URL, signs in as `login` on the login form, agrees on the consent page, and
   * returns the address the provider sends the browser back to (the callback, with its query).
   * `deny` presses "cancel" (access_denied) instead of signing in.
   */
  signIn(authorizationUrl: string, login: string, options?: { deny?: boolean }): Promise<URL>;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 on a free port, with one confidential client
 * allowed to send people back to `redirectUris`, the accounts given, and its development login
 * pages (any password is accepted for a known login).
 */
export async function startOidcProvider(options: { redirectUris: string[]; accounts: ProviderAccount[] }): Promise<TestOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "gatekeeper";
  const clientSecret = "test-client-secret-that-is-long-enough";
  const accounts = new Map(options.accounts.map((account) => [account.login, account]));
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris, grant_types: ["authorization_code"] }],
    async findAccount(_ctx: unknown, id: string): Promise<Account | undefined> {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified }) };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    cookies: { keys: ["test-provider-cookie-key"] },
    features: { devInteractions: { enabled: true } },
  });
  // Its development-only warnings are expected here.
  provider.on("server_error", () => {});
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    signIn: (url, login, signInOptions) => driveSignIn(url, login, signInOptions?.deny === true),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Follows redirects by hand, keeping the provider's cookies, until the browser would leave the provider. */
async function driveSignIn(authorizationUrl: string, login: string, deny: boolean): Promise<URL> {
  const provider = new URL(authorizationUrl).origin;
  const jar = new Map<string, string>();
  const request = async (url: string, body?: URLSearchParams): Promise<Response> => {
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; "),
        ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body,
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  };
  let next = new URL(authorizationUrl);
  let response = await request(next.href);
  for (let step = 0; step < 12; step += 1) {
    if (response.status >= 300 && response.status < 400) {
      next = new URL(response.headers.get("location") ?? "", next);
      if (next.origin !== provider) return next;
      response = await request(next.href);
      continue;
    }
    const page = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status}: ${page.slice(0, 500)}`);
    const uid = /\/interaction\/([^/"?]+)/.exec(next.pathname)?.[1];
    if (!uid) throw new Error(`unexpected provider page ${next.href}`);
    if (deny) {
      response = await request(`${provider}/interaction/${uid}/abort`);
    } else if (page.includes('name="prompt" value="login"')) {
      response = await request(`${provider}/interaction/${uid}`, new URLSearchParams({ prompt: "login", login, password: "any" }));
    } else if (page.includes('name="prompt" value="consent"')) {
      response = await request(`${provider}/interaction/${uid}`, new URLSearchParams({ prompt: "consent" }));
    } else {
      throw new Error(`unexpected provider page: ${page.slice(0, 500)}`);
    }
  }
  throw new Error("the provider never sent the browser back");
}
