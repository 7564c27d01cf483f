import type { NextRequest } from "next/server";
import { beginOidcSignIn, OIDC_FLOW_COOKIE, OIDC_FLOW_COOKIE_PATH, OIDC_FLOW_TTL_MS } from "@/lib/auth/oidc";
import { OidcSignInError } from "@/lib/auth/oidc-failure";
import { logger } from "@/lib/log";
import { dashboardOrigin } from "@/app/_lib/dashboard-origin";
import { loginFailureRedirect, redirectTo } from "../redirects";

export const dynamic = "force-dynamic";

/** "Sign in with …": off to the identity provider, with PKCE, state and nonce kept in a short-lived cookie. */
export async function GET(request: NextRequest): Promise<Response> {
  const origin = dashboardOrigin(request.headers);
  try {
    const { url, flowCookie } = await beginOidcSignIn(origin);
    const response = redirectTo(url);
    response.cookies.set(OIDC_FLOW_COOKIE, flowCookie, {
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET, which carries it.
      sameSite: "lax",
      secure: origin.startsWith("https:"),
      path: OIDC_FLOW_COOKIE_PATH,
      maxAge: OIDC_FLOW_TTL_MS / 1000,
    });
    return response;
  } catch (error) {
    if (!(error instanceof OidcSignInError)) logger.error({ err: error }, "single sign-on could not start");
    return loginFailureRedirect(error instanceof OidcSignInError ? error.reason : "failed");
  }
}
