import { NextResponse } from "next/server";
import type { OidcFailure } from "@/lib/auth/oidc-failure";
import { OIDC_FLOW_COOKIE, OIDC_FLOW_COOKIE_PATH } from "@/lib/auth/oidc";

/** A 303, so that the browser follows with a GET; a relative address stays on the host the browser used. */
export function redirectTo(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location } });
}

/** Back to /login, which says in plain words what went wrong; the flow cookie has done its job. */
export function loginFailureRedirect(reason: OidcFailure): NextResponse {
  const response = redirectTo(`/login?sso_error=${reason}`);
  forgetFlow(response);
  return response;
}

export function forgetFlow(response: NextResponse): void {
  response.cookies.set(OIDC_FLOW_COOKIE, "", { httpOnly: true, sameSite: "lax", path: OIDC_FLOW_COOKIE_PATH, maxAge: 0 });
}
