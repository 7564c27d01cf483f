import { editedHeaders } from "../data-plane/header-list";
import type { GuardVerdict } from "../security/request-guard";
import type { RequestContext } from "./request-context";
import type { ErrorPageStatus } from "@/lib/schemas/site-routing";
import type { RuntimeSite } from "../runtime/runtime-types";

export type Refusal = Extract<GuardVerdict, { allowed: false }>;

/**
 * The proxy's own answer to a request. Once the site is known it carries the site's response
 * headers (HSTS above all): they protect every answer, refusals and error pages included. Its
 * page is `page`, else the site's own page for the status, else the built-in one.
 */
export function answer(
  ctx: RequestContext,
  status: number,
  headers: Record<string, string> = {},
  page: string | undefined = sitePage(ctx.site, status),
): false {
  ctx.reply.send(status, withSiteHeaders(ctx, headers), page);
  return false;
}

/** An answer the site configured (a route's fixed answer), with the site's response headers too. */
export function answerWithBody(ctx: RequestContext, status: number, headers: Record<string, string>, body: Buffer): false {
  ctx.reply.sendBody(status, withSiteHeaders(ctx, headers), body);
  return false;
}

function withSiteHeaders(ctx: RequestContext, headers: Record<string, string>): Record<string, string> {
  const site = ctx.site;
  const edits = site === null ? null : ctx.scheme === "https" ? site.protection.headers.responseHttps : site.protection.headers.responseHttp;
  return edits === null ? headers : editedHeaders(headers, edits);
}

function sitePage(site: RuntimeSite | null, status: number): string | undefined {
  return site?.errorPages[String(status) as ErrorPageStatus];
}

/** A protection refused the request: noted for the blocked-requests log, then answered. */
export function refuse(ctx: RequestContext, refusal: Refusal): false {
  ctx.blockedBy = refusal.blockedBy;
  return answer(ctx, refusal.status, refusal.headers);
}
