import { editedHeaders } from "../data-plane/header-list";
import type { GuardVerdict } from "../security/request-guard";
import type { RequestContext } from "./request-context";

export type Refusal = Extract<GuardVerdict, { allowed: false }>;

/**
 * The proxy's own answer to a request. Once the site is known it carries the site's response
 * headers (HSTS above all): they protect every answer, refusals and error pages included.
 */
export function answer(ctx: RequestContext, status: number, headers: Record<string, string> = {}): false {
  const site = ctx.site;
  const edits = site === null ? null : ctx.scheme === "https" ? site.protection.headers.responseHttps : site.protection.headers.responseHttp;
  ctx.reply.send(status, edits === null ? headers : editedHeaders(headers, edits));
  return false;
}

/** A protection refused the request: noted for the blocked-requests log, then answered. */
export function refuse(ctx: RequestContext, refusal: Refusal): false {
  ctx.blockedBy = refusal.blockedBy;
  return answer(ctx, refusal.status, refusal.headers);
}
