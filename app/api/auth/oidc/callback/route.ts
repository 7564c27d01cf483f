import type { NextRequest } from "next/server";
import { finishOidcSignIn, OIDC_FLOW_COOKIE } from "@/lib/auth/oidc";
import { OidcSignInError } from "@/lib/auth/oidc-failure";
import { dashboardOrigin } from "@/app/_lib/dashboard-origin";
import { setSessionCookie } from "@/app/_lib/session";
import { forgetFlow, loginFailureRedirect, redirectTo } from "../redirects";

export const dynamic = "force-dynamic";

/** Where the identity provider sends the browser back: a dashboard session, or /login saying why not. */
export async function GET(request: NextRequest): Promise<Response> {
  let session: { token: string; expiresAt: Date };
  try {
    session = await finishOidcSignIn(dashboardOrigin(request.headers), request.nextUrl.searchParams, request.cookies.get(OIDC_FLOW_COOKIE)?.value);
  } catch (error) {
    // finishOidcSignIn turns every failure into one with plain words; anything else is still no 500.
    return loginFailureRedirect(error instanceof OidcSignInError ? error.reason : "failed");
  }
  await setSessionCookie(session.token, session.expiresAt);
  const response = redirectTo("/");
  forgetFlow(response);
  return response;
}
