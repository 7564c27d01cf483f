import type { z } from "zod";
import { accessLogQueryInput, accessLogQuerySchema } from "@/lib/schemas/access-log-query";
import type { AccessLogPage, AccessLogSource } from "./access-log-ring";

const MAX_SITE_ID = 200;

/** What the control port answers to GET /access-log: a status and a JSON body. */
export type AccessLogAnswer = { status: 200; body: AccessLogPage } | { status: 400; body: { error: string } };

/**
 * GET /access-log?siteId=&status=&method=&path=&clientIp=&blocked=&limit= on the control port
 * (blocked=1: from the site's ring of blocked requests). The filters go through the dashboard's
 * own schema, so both refuse the same values with the same words.
 */
export function answerAccessLogQuery(params: URLSearchParams, source: AccessLogSource): AccessLogAnswer {
  const siteId = params.get("siteId")?.trim() ?? "";
  if (siteId === "" || siteId.length > MAX_SITE_ID) return { status: 400, body: { error: "siteId: Send the id of a site" } };
  const parsed = accessLogQuerySchema.safeParse(accessLogQueryInput(params));
  if (!parsed.success) return { status: 400, body: { error: describeIssues(parsed.error) } };
  return { status: 200, body: source.query(siteId, parsed.data) };
}

/** "status: Enter a status ...; limit: Must be at most 1000" */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || "query"}: ${issue.message}`).join("; ");
}
