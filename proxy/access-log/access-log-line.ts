import type { AccessLogEntry } from "../../lib/traffic/access-log-entry";

/**
 * One entry as a line of the JSON access-log file: the entry's fields with the time as an ISO
 * string, in a fixed order. JSON escapes newlines, so one entry is always exactly one line.
 */
export function accessLogLine(entry: AccessLogEntry): string {
  return JSON.stringify({
    time: new Date(entry.time).toISOString(),
    siteId: entry.siteId,
    method: entry.method,
    host: entry.host,
    path: entry.path,
    status: entry.status,
    latencyMs: entry.latencyMs,
    bytesIn: entry.bytesIn,
    bytesOut: entry.bytesOut,
    clientIp: entry.clientIp,
    userAgent: entry.userAgent,
  });
}
