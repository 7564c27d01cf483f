import { z } from "zod";

/** Per-client limits of a site (API field `rateLimit`; null: no limit). */
export const rateLimitSchema = z
  .object({
    requestsPerSecond: z
      .number({ error: "Enter a number of requests per second" })
      .positive("Allow more than 0 requests per second")
      .max(100_000, "Allow at most 100,000 requests per second"),
    burst: z
      .number({ error: "Enter how many requests may come at once" })
      .int("Use a whole number for the burst")
      .min(1, "Allow a burst of at least 1 request")
      .max(100_000, "Allow a burst of at most 100,000 requests"),
    maxConnectionsPerIp: z
      .number()
      .int("Use a whole number of connections")
      .min(1, "Allow at least 1 connection per address")
      .max(10_000, "Allow at most 10,000 connections per address")
      .optional(),
  })
  .strict();
export type RateLimit = z.output<typeof rateLimitSchema>;

export const referrerPolicies = [
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
] as const;

/** Header text must stay on one line: a newline would let a value smuggle in headers of its own. */
const headerText = (what: string) =>
  z
    .string()
    .trim()
    .max(4096, `Keep the ${what} under 4096 characters`)
    .regex(/^[^\r\n\0]*$/, `The ${what} must be on one line`);

/**
 * Security headers added to every answer of a site (API field `securityHeaders`; null: none).
 * Each header is added only when the upstream did not send its own, so an app that knows better
 * keeps its policy. `hsts` holds the options of the site's HSTS switch.
 */
export const securityHeadersSchema = z
  .object({
    hsts: z
      .object({
        maxAge: z
          .number()
          .int("Use a whole number of seconds")
          .min(0, "Use 0 or more seconds")
          .max(63_072_000, "Use at most two years (63072000 seconds)")
          .default(31_536_000),
        includeSubDomains: z.boolean().default(false),
      })
      .strict()
      .default({ maxAge: 31_536_000, includeSubDomains: false }),
    frameOptions: z.enum(["DENY", "SAMEORIGIN", "off"], { error: "Choose DENY, SAMEORIGIN or off" }).default("SAMEORIGIN"),
    contentTypeOptions: z.boolean().default(true),
    referrerPolicy: z
      .enum([...referrerPolicies, "off"], { error: `Choose one of: ${referrerPolicies.join(", ")}, off` })
      .default("strict-origin-when-cross-origin"),
    permissionsPolicy: headerText("Permissions-Policy").default(""),
    contentSecurityPolicy: headerText("Content-Security-Policy").default(""),
  })
  .strict();
export type SecurityHeaders = z.output<typeof securityHeadersSchema>;
export const defaultSecurityHeaders: SecurityHeaders = securityHeadersSchema.parse({});

/** Headers the proxy manages itself: setting or removing them by hand would break requests. */
const RESERVED_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "content-length",
  "te",
  "trailer",
  "upgrade",
]);

const headerName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[!#$%&'*+.^_`|~0-9a-z-]{1,100}$/, "Use a header name of letters, digits and dashes, like X-Team")
  .refine((name) => !RESERVED_HEADERS.has(name), { error: (issue) => `The proxy manages the “${String(issue.input)}” header itself` });

const headerToSet = z.object({ name: headerName, value: headerText("header value") }).strict();

/** Custom headers of a site: added to (or removed from) what goes to the upstream and back. */
export const customHeadersSchema = z
  .object({
    requestSet: z.array(headerToSet).max(50, "At most 50 headers").default([]),
    requestRemove: z.array(headerName).max(50, "At most 50 headers").default([]),
    responseSet: z.array(headerToSet).max(50, "At most 50 headers").default([]),
    responseRemove: z.array(headerName).max(50, "At most 50 headers").default([]),
  })
  .strict();
export type CustomHeaders = z.output<typeof customHeadersSchema>;
export const noCustomHeaders: CustomHeaders = customHeadersSchema.parse({});

export const tlsPolicies = ["intermediate", "modern"] as const;
export type TlsPolicy = (typeof tlsPolicies)[number];
export const tlsPolicySchema = z.enum(tlsPolicies, { error: 'Choose "intermediate" (TLS 1.2 and 1.3) or "modern" (TLS 1.3 only)' });
