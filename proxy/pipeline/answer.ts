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
  const site = ctx.site;
  const edits = site === null ? null : ctx.scheme === "https" ? site.protection.headers.responseHttps : site.protection.headers.responseHttp;
  ctx.reply.send(status, edits === null ? headers : editedHeaders(headers, edits), page);
  return false;
}

function sitePage(site: RuntimeSite | null, status: number): string | undefined {
  return site?.errorPages[String(status) as ErrorPageStatus];
}

/** A protection refused the request: noted for the blocked-requests log, then answered. */
export function refuse(ctx: RequestContext, refusal: Refusal): false {
  ctx.blockedBy = refusal.blockedBy;
  return answer(ctx, refusal.status, refusal.headers);
}
