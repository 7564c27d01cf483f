import { accessLogRecord, type AccessLogEntry } from "@/lib/traffic/access-log-entry";

/** One entry as a line of the JSON access-log file. JSON escapes newlines: one entry, one line. */
export function accessLogLine(entry: AccessLogEntry): string {
  return JSON.stringify(accessLogRecord(entry));
}
