/**
 * One finished request as the access log keeps it: recorded by a proxy worker, handed to the
 * primary with the traffic counts, kept there in a bounded ring per site and, when configured,
 * appended to the JSON access-log file.
 */
export interface AccessLogEntry {
  /** When the response finished, epoch ms. */
  time: number;
  siteId: string;
  method: string;
  /** Host header as sent (truncated). */
  host: string;
  /** Path and query as sent (truncated). */
  path: string;
  /** Answer status; 0 when the client left before any answer; 101 for a websocket. */
  status: number;
  latencyMs: number;
  bytesIn: number;
  bytesOut: number;
  clientIp: string;
  userAgent: string;
  /** Which protection refused the request: "rate-limit", "connection-limit", "access-list", "exploit:<rule>". */
  blockedBy?: string;
}

/** An entry as people read it (the API, the JSON access-log file): the time as an ISO 8601 string. */
export type AccessLogRecord = Omit<AccessLogEntry, "time"> & { time: string };

/** The fields in a fixed order, the time in ISO 8601, `blockedBy` only when a protection refused it. */
export function accessLogRecord(entry: AccessLogEntry): AccessLogRecord {
  const { time, blockedBy, ...rest } = entry;
  return {
    time: new Date(time).toISOString(),
    ...rest,
    ...(typeof blockedBy === "string" && blockedBy !== "" ? { blockedBy } : {}),
  };
}
