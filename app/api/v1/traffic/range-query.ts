import { z } from "zod";

const HOUR_MS = 3_600_000;

/** An ISO 8601 date-time query parameter, with an example in its error. */
export const isoDateTime = (example: string) =>
  z.iso.datetime({ offset: true, message: `Must be an ISO 8601 date-time, e.g. ${example}` }).optional();

/** The time range of a traffic query: `to` defaults to now, `from` to an hour before `to`. */
export const rangeFields = {
  siteId: z.string().trim().min(1, "Must not be empty").optional(),
  from: isoDateTime("2026-01-31T12:00:00Z"),
  to: isoDateTime("2026-01-31T13:00:00Z"),
};

/** Resolves the defaults of a range; adds the issue (and returns null) when it is empty. */
export function resolveRange(query: { from?: string; to?: string }, context: z.core.$RefinementCtx): { from: Date; to: Date } | null {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - HOUR_MS);
  if (from.getTime() >= to.getTime()) {
    context.addIssue({ code: "custom", path: ["from"], message: "Must be before 'to'" });
    return null;
  }
  return { from, to };
}

/** The named query parameters that are present and not empty (an empty one means "default"). */
export function queryParams(params: URLSearchParams, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = params.get(name);
      return value === null || value === "" ? [] : [[name, value]];
    }),
  );
}
