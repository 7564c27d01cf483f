import { askProxyGet } from "../config/control-client";
import { db } from "../db";
import { notFound, validationError } from "../errors";
import { accessLogQuerySchema, accessLogQueryString } from "../schemas/access-log-query";
import { accessLogRecord, type AccessLogEntry, type AccessLogRecord } from "../traffic/access-log-entry";

/** One request as the API and the page show it (without the site id, which the caller knows). */
export type AccessLogRow = Omit<AccessLogRecord, "siteId">;

export interface AccessLogView {
  /** Newest first. */
  entries: AccessLogRow[];
  /** How many of the requests the proxy still remembers for this site match the filters. */
  total: number;
}

function toRow(entry: AccessLogEntry): AccessLogRow {
  const { siteId: _siteId, ...row } = accessLogRecord(entry);
  return row;
}

/**
 * The recent requests of one site that match the filters (see accessLogQuerySchema), newest
 * first; with `blocked`, only those a protection refused, from the proxy's separate memory of
 * them. They live in the proxy's memory, not in the database, so the proxy must be running
 * (ProxyUnreachableError otherwise).
 */
export async function siteAccessLog(siteId: string, filters: unknown): Promise<AccessLogView> {
  const parsed = accessLogQuerySchema.safeParse(filters);
  if (!parsed.success) throw validationError(parsed.error, "Some filters need attention");
  const site = await db().site.findUnique({ where: { id: siteId }, select: { id: true } });
  if (site === null) throw notFound("Site");
  const query = new URLSearchParams(accessLogQueryString(parsed.data));
  query.set("siteId", site.id);
  const page = await askProxyGet<{ entries: AccessLogEntry[]; total: number }>(`/access-log?${query.toString()}`);
  return { entries: page.entries.map(toRow), total: page.total };
}
