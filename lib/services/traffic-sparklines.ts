import { db } from "../db";
import { findInParts } from "../db-chunks";

const MINUTE_MS = 60_000;

export interface SparklineOptions {
  /** The end of the window; tests pin it. */
  now?: Date;
  /** How many whole minutes, ending with the current (partial) one. */
  minutes?: number;
}

/**
 * Requests per minute of each site over the last `minutes` minutes, oldest first, zero where a
 * minute has no row: the small chart on every row of the site list. One query for all the sites,
 * so a list of fifty sites costs what a list of one does. The current minute is included although
 * it is still filling up, so traffic sent a moment ago shows at once.
 */
export async function requestSparklines(siteIds: readonly string[], options: SparklineOptions = {}): Promise<Map<string, number[]>> {
  const minutes = Math.max(1, Math.floor(options.minutes ?? 60));
  const currentMinute = Math.floor((options.now ?? new Date()).getTime() / MINUTE_MS) * MINUTE_MS;
  const from = currentMinute - (minutes - 1) * MINUTE_MS;
  const ids = [...new Set(siteIds)];
  const lines = new Map<string, number[]>(ids.map((id) => [id, new Array<number>(minutes).fill(0)]));
  if (ids.length === 0) return lines;

  const rows = await findInParts(ids, (part) =>
    db().trafficMinute.findMany({
      where: { siteId: { in: part }, minute: { gte: new Date(from), lt: new Date(currentMinute + MINUTE_MS) } },
      select: { siteId: true, minute: true, requests: true },
    }),
  );
  for (const row of rows) {
    const index = Math.floor((row.minute.getTime() - from) / MINUTE_MS);
    const line = lines.get(row.siteId);
    if (line && index >= 0 && index < minutes) line[index] = (line[index] ?? 0) + row.requests;
  }
  return lines;
}
