import type { RuntimeUpstream } from "../runtime/runtime-types";
import type { UpstreamPool } from "../upstream/upstream-pool";
import type { RequestContext } from "../pipeline/request-context";

/**
 * One of the request's upstreams (its route's or its site's) by the site's policy, among those the
 * pool lets have it (see UpstreamPool.pick).
 */
export function pickUpstream(pool: UpstreamPool, ctx: RequestContext, failed?: RuntimeUpstream): RuntimeUpstream | null {
  return pool.pick(ctx.upstreams!, { clientAddress: ctx.client.ip, exclude: failed?.id });
}

/** The site's response headers for this scheme (HSTS only over HTTPS). */
export function responseEdits(ctx: RequestContext) {
  const headers = ctx.site!.protection.headers;
  return ctx.scheme === "https" ? headers.responseHttps : headers.responseHttp;
}
