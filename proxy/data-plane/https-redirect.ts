/** The path and query to keep, whatever request-target form the client used. */
function originalPathAndQuery(requestUrl: string | undefined): string {
  if (requestUrl === undefined || requestUrl.length === 0) return "/";
  if (requestUrl.startsWith("/")) return requestUrl;
  try {
    // absolute-form ("GET http://host/path HTTP/1.1"): keep only path and query, never its host.
    const url = new URL(requestUrl);
    return url.pathname + url.search;
  } catch {
    return "/";
  }
}

/**
 * https://hostname[:port]/path?query. `hostname` must come from the host router (a validated
 * name a site owns), never straight from the Host header, or this is an open redirect.
 */
export function httpsLocation(hostname: string, httpsPort: number, requestUrl: string | undefined): string {
  const port = httpsPort === 443 ? "" : `:${httpsPort}`;
  return `https://${hostname}${port}${originalPathAndQuery(requestUrl)}`;
}
