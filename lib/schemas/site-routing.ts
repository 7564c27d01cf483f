import { z } from "zod";
import { upstreamInputSchema } from "./upstream";

export const REDIRECT_STATUSES = [301, 302, 307, 308] as const;
export const ERROR_PAGE_STATUSES = ["404", "502", "503", "504"] as const;
export const MAX_ROUTES = 50;
const MAX_ROUTE_HEADERS = 10;
/** A fixed answer's body or an error page: enough for a robots.txt or a styled page, not a site. */
export const MAX_PAGE_LENGTH = 64 * 1024;
const MAX_MAINTENANCE_MESSAGE = 2000;
const MAX_PATH_LENGTH = 1024;
const MAX_URL_LENGTH = 2048;

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * A path prefix, matched by whole segments: "/api" matches "/api" and "/api/x", never "/apix".
 * A trailing slash says nothing more ("/api/" is "/api").
 */
export const pathPrefixSchema = z
  .string()
  .trim()
  .max(MAX_PATH_LENGTH, `Use at most ${MAX_PATH_LENGTH} characters for the path`)
  .regex(/^\/[^\s?#\\]*$/, 'Start the path with / and leave out spaces, "?" and "#", like /api')
  .refine((path) => !path.split("/").some((segment) => segment === "." || segment === ".."), 'Leave out "." and ".." segments')
  .transform((path) => path.replace(/\/+$/, "") || "/");

/** Prepended to the path sent upstream (after stripping, if the route strips); "" adds nothing. */
export const addPrefixSchema = z.union([z.literal(""), pathPrefixSchema]).transform((path) => (path === "/" ? "" : path));

/** Where a redirect sends the visitor: a full http(s) URL, or a path on the same host. */
const redirectTargetSchema = z
  .string()
  .trim()
  .min(1, "Enter the address to redirect to, like https://www.example.com")
  .max(MAX_URL_LENGTH, `Use at most ${MAX_URL_LENGTH} characters for the address`)
  .regex(/^[^\s\p{Cc}]*$/u, "Remove the spaces or line breaks from the address")
  .refine((to) => {
    if (to.startsWith("/")) return !to.startsWith("//");
    try {
      const url = new URL(to);
      return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
    } catch {
      return false;
    }
  }, "Write a full address like https://www.example.com, or a path on this site like /new-place");

export const redirectSchema = z
  .object({
    to: redirectTargetSchema,
    status: z.union(
      REDIRECT_STATUSES.map((status) => z.literal(status)),
      { error: `Choose one of ${REDIRECT_STATUSES.join(", ")}` },
    ),
    /** Append the request's path and query to `to`. */
    preservePath: z.boolean().default(true),
  })
  .strict();

export const respondSchema = z
  .object({
    status: z.number().int("Use a whole status code").min(200, "Use a status code from 200 to 599").max(599, "Use a status code from 200 to 599"),
    contentType: z
      .string()
      .trim()
      .min(1)
      .max(200, "Use at most 200 characters for the content type")
      .regex(NO_CONTROL_CHARACTERS, "Remove the line breaks from the content type")
      .default("text/plain; charset=utf-8"),
    body: z
      .string()
      .max(MAX_PAGE_LENGTH, `Keep the body under ${MAX_PAGE_LENGTH / 1024} KB`)
      .default(""),
  })
  .strict();

/** Header name (any case) -> the exact value the request must carry. */
const routeHeadersSchema = z
  .record(
    z.string(),
    z.string().max(1024, "Use at most 1024 characters for the value").regex(NO_CONTROL_CHARACTERS, "Remove the line breaks from the value"),
  )
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_ROUTE_HEADERS) ctx.addIssue({ code: "custom", message: `Match at most ${MAX_ROUTE_HEADERS} headers` });
    for (const name of names) {
      if (!HEADER_NAME.test(name.toLowerCase())) {
        ctx.addIssue({ code: "custom", path: [name], message: "Use a header name of letters, digits and dashes, like X-Version" });
      }
    }
  })
  .transform((headers) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])));

/** Ids are the product's: sent back to keep a route's (and its upstreams') live state across edits. */
const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "Leave the id as the product gave it, or leave it out")
  .optional();

const routeFields = z
  .object({
    id: idSchema,
    pathPrefix: pathPrefixSchema,
    headers: routeHeadersSchema.default({}),
    stripPrefix: z.boolean().default(false),
    addPrefix: addPrefixSchema.default(""),
    upstreams: z
      .array(upstreamInputSchema.extend({ id: idSchema }))
      .min(1, "Add at least one upstream server")
      .max(50, "A route can have at most 50 upstream servers")
      .optional(),
    redirect: redirectSchema.optional(),
    respond: respondSchema.optional(),
  })
  .strict();

function oneAction(route: { upstreams?: unknown; redirect?: unknown; respond?: unknown }, ctx: z.RefinementCtx): void {
  const actions = [route.upstreams, route.redirect, route.respond].filter((action) => action !== undefined).length;
  if (actions !== 1) ctx.addIssue({ code: "custom", path: [], message: "Give the route one action: upstream servers, a redirect or a fixed answer" });
}

/** A route as given: the product assigns the ids that are left out (lib/services/route-ids.ts). */
export const routeSchema = routeFields.superRefine(oneAction);

/** A route as the proxy serves it: every id assigned. */
export const snapshotRouteSchema = routeFields
  .extend({
    id: z.string(),
    upstreams: z.array(z.object({ id: z.string(), url: z.string(), weight: z.number().int().positive() })).optional(),
  })
  .superRefine(oneAction);

export const maintenanceSchema = z
  .object({
    enabled: z.boolean().default(false),
    message: z.string().trim().max(MAX_MAINTENANCE_MESSAGE, `Keep the message under ${MAX_MAINTENANCE_MESSAGE} characters`).default(""),
  })
  .strict();

const pageSchema = z.string().max(MAX_PAGE_LENGTH, `Keep the page under ${MAX_PAGE_LENGTH / 1024} KB`);

/** HTML the proxy sends instead of its own page for the answers it makes itself. */
export const errorPagesSchema = z
  .object({ "404": pageSchema.optional(), "502": pageSchema.optional(), "503": pageSchema.optional(), "504": pageSchema.optional() })
  .strict();

export type ErrorPageStatus = (typeof ERROR_PAGE_STATUSES)[number];
export type Redirect = z.output<typeof redirectSchema>;
export type Respond = z.output<typeof respondSchema>;
export type Route = z.output<typeof routeSchema>;
export type SnapshotRoute = z.output<typeof snapshotRouteSchema>;
export type Maintenance = z.output<typeof maintenanceSchema>;
export type ErrorPages = z.output<typeof errorPagesSchema>;

export const noMaintenance: Maintenance = { enabled: false, message: "" };
