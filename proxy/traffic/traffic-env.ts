/** Traffic counting settings read from the environment (proxy only; the dashboard never counts). */

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** TRAFFIC_COUNTING=off switches counting off (for the benchmark's on/off comparison); default on. */
export function trafficCountingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.TRAFFIC_COUNTING?.trim().toLowerCase();
  return !(value === "off" || value === "0" || value === "false");
}

/** How often a worker hands its counts to the primary. Default 2 s. */
export function trafficFlushMs(): number {
  return positiveInt("TRAFFIC_FLUSH_MS", 2_000);
}

/** How often the primary writes merged counts to the database. Default 10 s. */
export function trafficWriteMs(): number {
  return positiveInt("TRAFFIC_WRITE_MS", 10_000);
}
