import { z } from "zod";

export const ACCESS_LOG_DEFAULT_LIMIT = 100;
export const ACCESS_LOG_MAX_LIMIT = 1000;
/** Longest path filter accepted: paths are kept truncated to 500 characters anyway. */
const MAX_PATH_FILTER = 500;

/** The query parameters of the access log, in the order the form shows them. */
export const ACCESS_LOG_QUERY_FIELDS = ["status", "method", "path", "clientIp", "blocked", "limit"] as const;
export type AccessLogQueryField = (typeof ACCESS_LOG_QUERY_FIELDS)[number];

/** The methods the form offers; the API accepts any method name. */
export const ACCESS_LOG_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const BLOCKED_MESSAGE = "Use 1 or true for blocked requests only, 0 or false for every request";

const isIp = (value: string): boolean => z.ipv4().safeParse(value).success || z.ipv6().safeParse(value).success;

/**
 * Filters of the access-log viewer, shared by the page's form, the REST API and the proxy's
 * control port, so that all three accept and refuse the same values with the same words.
 * Every filter is optional; an empty one means "any".
 */
export const accessLogQuerySchema = z.object({
  /** An exact status ("404"), a class ("4xx"), or "0" for requests that got no answer. */
  status: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(0|[1-5]\d\d|[1-5]xx)$/, "Enter a status such as 404, or a class such as 4xx")
    .optional(),
  method: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z_-]{0,31}$/, "Enter an HTTP method such as GET or POST")
    .optional(),
  /** Part of the path and query, case-sensitive (paths are). */
  path: z.string().max(MAX_PATH_FILTER, `At most ${MAX_PATH_FILTER} characters`).optional(),
  clientIp: z
    .string()
    .trim()
    .toLowerCase()
    .refine(isIp, "Enter an IP address such as 203.0.113.7 or 2001:db8::1")
    // The proxy records IPv4 clients of a dual-stack socket without the ::ffff: prefix.
    .transform((ip) => (ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip))
    .optional(),
  /**
   * true: only requests a protection refused, from the proxy's separate memory of them (which
   * normal traffic does not push out); false or unset: every request.
   */
  blocked: z
    .string({ error: BLOCKED_MESSAGE })
    .trim()
    .pipe(z.stringbool({ truthy: ["1", "true"], falsy: ["0", "false"], error: BLOCKED_MESSAGE }))
    .optional(),
  limit: z.coerce
    .number({ message: "Must be a number" })
    .int("Must be a whole number")
    .min(1, "Must be at least 1")
    .max(ACCESS_LOG_MAX_LIMIT, `Must be at most ${ACCESS_LOG_MAX_LIMIT}`)
    .default(ACCESS_LOG_DEFAULT_LIMIT),
});

export type AccessLogQuery = z.output<typeof accessLogQuerySchema>;
export type AccessLogQueryInput = Partial<Record<AccessLogQueryField, string>>;

/**
 * The access-log parameters of a URL's query (URLSearchParams, or a page's searchParams): the
 * first value of each, with empty ones left out, as an empty form field means "any".
 */
export function accessLogQueryInput(source: URLSearchParams | Record<string, string | string[] | undefined>): AccessLogQueryInput {
  const input: AccessLogQueryInput = {};
  for (const field of ACCESS_LOG_QUERY_FIELDS) {
    const raw = source instanceof URLSearchParams ? source.get(field) : source[field];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value !== null && value !== "") input[field] = value;
  }
  return input;
}

/**
 * The query string of validated filters (without "?"), leaving out the unset ones; `blocked` is
 * written "1" or "0". Parsing it again gives the same filters.
 */
export function accessLogQueryString(query: AccessLogQuery): string {
  const params = new URLSearchParams();
  for (const field of ACCESS_LOG_QUERY_FIELDS) {
    const value = query[field];
    if (value === undefined) continue;
    params.set(field, typeof value === "boolean" ? (value ? "1" : "0") : String(value));
  }
  return params.toString();
}
