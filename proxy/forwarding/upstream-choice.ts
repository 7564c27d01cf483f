import type { RuntimeSite, RuntimeUpstream } from "../runtime/runtime-types";
import type { UpstreamPool } from "../upstream/upstream-pool";
import type { RequestContext } from "../pipeline/request-context";

/**
 * Asks the site's policy, leaving out what may not get requests now (active checks say down,
 * passive checks benched it) and, for a retry, the upstream that just failed.
 */
export function pickUpstream(pool: UpstreamPool, ctx: RequestContext, failedAddress?: string): RuntimeUpstream | null {
  const site: RuntimeSite = ctx.site!;
  let skip: Set<string> | undefined;
  for (const upstream of site.upstreams) {
    if (upstream.address === failedAddress || !pool.isAvailable(upstream.address)) (skip ??= new Set()).add(upstream.address);
  }
  return site.policy.pick(site.upstreams, { clientAddress: ctx.client.ip, skip, inFlight: pool.inFlight });
}

/** Passive checks: a 5xx counts against the upstream like a failed connection; anything else clears it. */
export function recordAnswer(pool: UpstreamPool, upstream: RuntimeUpstream, status: number): void {
  if (status >= 500) pool.recordFailure(upstream.address, `answered HTTP ${status}`);
  else pool.recordSuccess(upstream.address);
}

/** The site's response headers for this scheme (HSTS only over HTTPS). */
export function responseEdits(ctx: RequestContext) {
  const headers = ctx.site!.protection.headers;
  return ctx.scheme === "https" ? headers.responseHttps : headers.responseHttp;
}
