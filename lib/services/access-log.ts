import { askProxyGet } from "../config/control-client";
import { db } from "../db";
import { notFound, validationError } from "../errors";
import { accessLogQuerySchema, accessLogQueryString } from "../schemas/access-log-query";
import type { AccessLogEntry } from "../traffic/access-log-entry";

/** One request as the API and the page show it. */
export interface AccessLogRow {
  /** When the response finished (ISO 8601). */
  time: string;
  method: string;
  host: string;
  path: string;
  /** 0 when the client left before any answer; 101 for a websocket. */
  status: number;
  latencyMs: number;
  bytesIn: number;
  bytesOut: number;
  clientIp: string;
  userAgent: string;
  /**
   * Which protection refused the request, when one did: "rate-limit", "connection-limit",
   * "access-list" or "exploit:<rule id>" (blockedReason() in lib/security puts it in words).
   */
  blockedBy?: string;
}

export interface AccessLogView {
  /** Newest first. */
  entries: AccessLogRow[];
  /** How many of the requests the proxy still remembers for this site match the filters. */
  total: number;
}

function toRow(entry: AccessLogEntry): AccessLogRow {
  return {
    time: new Date(entry.time).toISOString(),
    method: entry.method,
    host: entry.host,
    path: entry.path,
    status: entry.status,
    latencyMs: entry.latencyMs,
    bytesIn: entry.bytesIn,
    bytesOut: entry.bytesOut,
    clientIp: entry.clientIp,
    userAgent: entry.userAgent,
    ...(typeof entry.blockedBy === "string" && entry.blockedBy !== "" ? { blockedBy: entry.blockedBy } : {}),
  };
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
