import { z } from "zod";
import { apiRoute, json } from "../_lib/respond";
import { validationError } from "@/lib/errors";
import { trafficSeries } from "@/lib/services/traffic";
import { queryParams, rangeFields, resolveRange } from "./range-query";

const querySchema = z
  .object({
    ...rangeFields,
    step: z.coerce
      .number({ message: "Must be a number of seconds" })
      .int("Must be a whole number of seconds")
      .min(60, "Must be at least 60 seconds")
      .refine((step) => step % 60 === 0, "Must be a multiple of 60 seconds")
      .default(60),
  })
  .transform((query, context) => {
    const range = resolveRange(query, context);
    if (range === null) return z.NEVER;
    return { siteId: query.siteId, ...range, stepSeconds: query.step };
  });

/** GET /api/v1/traffic?siteId=&from=&to=&step=60 -> { series: TrafficPoint[] } */
export const GET = apiRoute(async ({ request }) => {
  const parsed = querySchema.safeParse(queryParams(request.nextUrl.searchParams, ["siteId", "from", "to", "step"]));
  if (!parsed.success) throw validationError(parsed.error, "Some query parameters need attention");
  return json({ series: await trafficSeries(parsed.data) });
});
