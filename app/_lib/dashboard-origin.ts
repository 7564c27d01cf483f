/**
 * The dashboard's address as the browser sees it: the scheme a trusted proxy reported (the
 * dashboard server drops X-Forwarded-Proto from anyone else) or http, and the host asked for.
 * Only the OIDC redirect URI is built from it, and the provider accepts only the one registered.
 */
export function dashboardOrigin(headers: Pick<Headers, "get">): string {
  const scheme = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https" ? "https" : "http";
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "localhost";
  return `${scheme}://${host}`;
}
