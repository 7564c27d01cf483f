/**
 * Prisma refuses a statement with more bound values than SQLite's classic limit (999): a list of
 * ids as long as the number of sites or upstreams must go in parts. Half of it leaves room for
 * the other values of the statement.
 */
export const MAX_LISTED_VALUES = 500;

/** The values in consecutive parts of at most `size`. */
export function chunked<T>(values: readonly T[], size: number = MAX_LISTED_VALUES): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < values.length; start += size) parts.push(values.slice(start, start + size));
  return parts;
}

/** Runs a query per part of the ids and joins the rows. */
export async function findInParts<T, Id>(ids: readonly Id[], query: (part: Id[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (const part of chunked(ids)) rows.push(...(await query(part)));
  return rows;
}
