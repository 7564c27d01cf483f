import { z } from "zod";
import { apiRoute, json } from "@/app/api/v1/_lib/respond";
import { validationError } from "@/lib/errors";
import { MAX_TOP_LIMIT, trafficTop } from "@/lib/services/traffic";
import { queryParams, rangeFields, resolveRange } from "../range-query";

const querySchema = z
  .object({
    ...rangeFields,
    limit: z.coerce
      .number({ message: "Must be a number" })
      .int("Must be a whole number")
      .min(1, "Must be at least 1")
      .max(MAX_TOP_LIMIT, `Must be at most ${MAX_TOP_LIMIT}: each stored minute and hour keeps its ${MAX_TOP_LIMIT} largest`)
      .default(10),
  })
  .transform((query, context) => {
    const range = resolveRange(query, context);
    if (range === null) return z.NEVER;
    return { siteId: query.siteId, ...range, limit: query.limit };
  });

/**
 * GET /api/v1/traffic/top?siteId=&from=&to=&limit=10
 *   -> { requests, paths: [{ key, count }], clientIps: [...], statuses: [...] }, largest first.
 * Counts are lower bounds (each stored row keeps its largest entries); `requests` is the total
 * they are shares of.
 */
export const GET = apiRoute(async ({ request }) => {
  const parsed = querySchema.safeParse(queryParams(request.nextUrl.searchParams, ["siteId", "from", "to", "limit"]));
  if (!parsed.success) throw validationError(parsed.error, "Some query parameters need attention");
  return json(await trafficTop(parsed.data));
});
