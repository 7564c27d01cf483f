import { z } from "zod";
import { apiRoute, json } from "../_lib/respond";
import { validationError } from "../../../../lib/errors";
import { trafficSeries } from "../../../../lib/services/traffic";

const HOUR_MS = 3_600_000;

const querySchema = z
  .object({
    siteId: z.string().trim().min(1, "Must not be empty").optional(),
    from: z.iso.datetime({ offset: true, message: "Must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z" }).optional(),
    to: z.iso.datetime({ offset: true, message: "Must be an ISO 8601 date-time, e.g. 2026-01-31T13:00:00Z" }).optional(),
    step: z.coerce
      .number({ message: "Must be a number of seconds" })
      .int("Must be a whole number of seconds")
      .min(60, "Must be at least 60 seconds")
      .refine((step) => step % 60 === 0, "Must be a multiple of 60 seconds")
      .default(60),
  })
  .transform((query, context) => {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - HOUR_MS);
    if (from.getTime() >= to.getTime()) {
      context.addIssue({ code: "custom", path: ["from"], message: "Must be before 'to'" });
      return z.NEVER;
    }
    return { siteId: query.siteId, from, to, stepSeconds: query.step };
  });

/** GET /api/v1/traffic?siteId=&from=&to=&step=60 -> { series: TrafficPoint[] } */
export const GET = apiRoute(async ({ request }) => {
  const params = request.nextUrl.searchParams;
  const raw = Object.fromEntries(
    ["siteId", "from", "to", "step"].flatMap((name) => {
      const value = params.get(name);
      return value === null || value === "" ? [] : [[name, value]];
    }),
  );
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, "Some query parameters need attention");
  return json({ series: await trafficSeries(parsed.data) });
});
