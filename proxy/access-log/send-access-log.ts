import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import type { WorkerToPrimary } from "../ipc";

/**
 * Entries per IPC message: a busy site can hand over ten thousand at once, and one huge message
 * would hold the channel (and the primary's event loop, parsing it) for longer than a few smaller ones.
 */
export const ACCESS_LOG_CHUNK = 1_000;

/** Hands a worker's drained entries to the primary as "access-log" messages, in order. */
export async function sendAccessLog(entries: readonly AccessLogEntry[], send: (message: WorkerToPrimary) => Promise<void>): Promise<void> {
  for (let start = 0; start < entries.length; start += ACCESS_LOG_CHUNK) {
    await send({ type: "access-log", entries: entries.slice(start, start + ACCESS_LOG_CHUNK) });
  }
}
