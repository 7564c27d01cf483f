/** Access-log settings read from the environment (proxy only: workers and the primary read the same values). */

const MIB = 1024 * 1024;

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * How many recent requests the primary keeps per site (default 10,000). Workers keep at most this
 * many per site between hand-overs too, so memory stays bounded whatever the traffic.
 */
export function accessLogRingSize(env: NodeJS.ProcessEnv = process.env): number {
  return positiveInt(env, "ACCESS_LOG_RING_SIZE", 10_000);
}

export interface AccessLogFileSettings {
  path: string;
  /** The live file is rotated before it would grow past this. Default 10 MiB. */
  maxBytes: number;
  /** Rotated files kept besides the live one (file.1 ... file.N). Default 5. */
  maxFiles: number;
}

/** ACCESS_LOG_FILE switches the JSON-lines file on; null when unset. */
export function accessLogFileSettings(env: NodeJS.ProcessEnv = process.env): AccessLogFileSettings | null {
  const path = env.ACCESS_LOG_FILE?.trim();
  if (path === undefined || path === "") return null;
  return {
    path,
    maxBytes: positiveInt(env, "ACCESS_LOG_MAX_BYTES", 10 * MIB),
    maxFiles: positiveInt(env, "ACCESS_LOG_MAX_FILES", 5),
  };
}
