import type { Logger } from "pino";
import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import { accessLogFileSettings, accessLogRingSize } from "./access-log-env";
import { accessLogLine } from "./access-log-line";
import { AccessLogRings } from "./access-log-ring";
import { RotatingFile } from "./rotating-file";

/**
 * The primary's side of the access log: the rings the control port answers from (all requests,
 * and apart the blocked ones), and the optional file.
 */
export interface PrimaryAccessLog {
  readonly rings: AccessLogRings;
  /** One worker's hand-over: into the rings, and into the file as one batch. */
  add(entries: readonly AccessLogEntry[]): void;
  /** Waits for the file writes in flight. */
  close(): Promise<void>;
}

export function createPrimaryAccessLog(logger: Logger, env: NodeJS.ProcessEnv = process.env): PrimaryAccessLog {
  const rings = new AccessLogRings({ ringSize: accessLogRingSize(env) });
  const settings = accessLogFileSettings(env);
  const file = settings === null ? null : new RotatingFile({ ...settings, logger });
  if (settings !== null) logger.info({ file: settings.path, maxBytes: settings.maxBytes, maxFiles: settings.maxFiles }, "access log file on");
  return {
    rings,
    add(entries) {
      if (!Array.isArray(entries) || entries.length === 0) return;
      rings.add(entries);
      void file?.append(entries.map(accessLogLine));
    },
    close: async () => {
      await file?.close();
    },
  };
}
