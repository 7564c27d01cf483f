import { ERROR_PAGE_STATUSES, type Route } from "@/lib/schemas/site-routing";
import { checked, text, type LineMap } from "@/app/_lib/form-state";
import { formatUpstreamLines, parseUpstreamLines } from "@/app/_lib/upstream-lines";

export type RouteAction = "upstreams" | "redirect" | "respond";

/** One route as the editor holds it: every action's values kept as typed, so switching action loses nothing. */
export interface RouteRow {
  id: string;
  pathPrefix: string;
  headers: { name: string; value: string }[];
  action: RouteAction;
  upstreams: string;
  stripPrefix: boolean;
  addPrefix: string;
  redirect: { to: string; status: string; preservePath: boolean };
  respond: { status: string; contentType: string; body: string };
}

export const NEW_ROUTE: RouteRow = {
  id: "",
  pathPrefix: "",
  headers: [],
  action: "upstreams",
  upstreams: "",
  stripPrefix: false,
  addPrefix: "",
  redirect: { to: "", status: "301", preservePath: true },
  respond: { status: "200", contentType: "text/plain; charset=utf-8", body: "" },
};

export function routeRowOf(route: Route): RouteRow {
  return {
    id: route.id ?? "",
    pathPrefix: route.pathPrefix,
    headers: Object.entries(route.headers).map(([name, value]) => ({ name, value })),
    action: route.redirect ? "redirect" : route.respond ? "respond" : "upstreams",
    upstreams: formatUpstreamLines((route.upstreams ?? []).map(({ url, weight }) => ({ url, weight: weight ?? 1 }))),
    stripPrefix: route.stripPrefix,
    addPrefix: route.addPrefix,
    redirect: route.redirect ? { ...route.redirect, status: String(route.redirect.status) } : NEW_ROUTE.redirect,
    respond: route.respond ? { ...route.respond, status: String(route.respond.status) } : NEW_ROUTE.respond,
  };
}

/** The name of a route's input: its schema path ("routes.2.redirect.to"), so errors at that path land on it. */
export const routeField = (index: number, path: string): string => `routes.${index}.${path}`;

/** A header match row's input. Its schema path is keyed by the header's name, so errors are mapped back (routeHeaderErrorField). */
export const routeHeaderField = (route: number, row: number, part: "name" | "value"): string => routeField(route, `headers.${row}.${part}`);

/** Every input of a route that can show an error, in the order the editor shows them. */
const ROUTE_PATHS = [
  "pathPrefix",
  "action",
  "upstreams",
  "stripPrefix",
  "addPrefix",
  "redirect.to",
  "redirect.status",
  "redirect.preservePath",
  "respond.status",
  "respond.contentType",
  "respond.body",
];

export interface ReadRoutingForm {
  input: { routes: unknown[]; redirect: unknown; maintenance: unknown; errorPages: Record<string, string | null> };
  /** What the form itself found wrong (a status that is not a number, an upstream line that does not parse), by service path. */
  problems: Record<string, string>;
  /** Each route's upstream textarea: which line each upstream came from. */
  lines: LineMap;
  /** The routes' inputs, where errors can be shown. */
  fields: string[];
  /** For each route, its header rows by the header's name as sent (the schema's path key). */
  headerRows: Map<string, number>[];
}

/**
 * Reads the Routing tab. The editor names each route's inputs by its place in the list (routes.0,
 * routes.1, ...), so the service's paths and the inputs' names count routes alike; a hidden id
 * input marks every route. `patch`: a cleared error page is sent as null (removing the stored
 * one); a new site leaves it out.
 */
export function readRoutingForm(formData: FormData, { patch }: { patch: boolean }): ReadRoutingForm {
  const problems: Record<string, string> = {};
  const lines: LineMap = {};
  const fields: string[] = [];
  const headerRows: Map<string, number>[] = [];

  /** A status code as typed, or NaN (with a problem noted) so the schema still checks the rest. */
  const status = (path: string, example: string): number => {
    const value = text(formData, path).trim();
    if (/^\d+$/.test(value)) return Number(value);
    problems[path] = value === "" ? `Enter a status code, like ${example}` : `Use a status code of three digits, like ${example}`;
    return Number.NaN;
  };

  const redirectAt = (path: string) => ({
    to: text(formData, `${path}.to`),
    status: status(`${path}.status`, "301"),
    preservePath: checked(formData, `${path}.preservePath`),
  });

  const routes: Record<string, unknown>[] = [];
  for (let index = 0; formData.has(routeField(index, "id")); index++) {
    const field = (path: string) => routeField(index, path);
    const { headers, byName, rowFields, duplicates } = readHeaderRows(formData, index);
    headerRows.push(byName);
    for (const row of duplicates) problems[routeHeaderField(index, row, "name")] = "This header is matched twice: keep one";
    fields.push(...ROUTE_PATHS.map(field), field("headers"), ...rowFields);
    const id = text(formData, field("id"));
    const route: Record<string, unknown> = { ...(id === "" ? {} : { id }), pathPrefix: text(formData, field("pathPrefix")), headers };
    routes.push(route);
    const action = text(formData, field("action"));
    if (action === "respond") {
      route.respond = {
        status: status(field("respond.status"), "200"),
        contentType: text(formData, field("respond.contentType")),
        body: text(formData, field("respond.body")),
      };
      continue;
    }
    // The path a route passes on is rewritten alike whether it goes upstream or into a redirect.
    route.stripPrefix = checked(formData, field("stripPrefix"));
    route.addPrefix = text(formData, field("addPrefix"));
    if (action === "redirect") {
      route.redirect = redirectAt(field("redirect"));
      continue;
    }
    const upstreams = parseUpstreamLines(text(formData, field("upstreams")));
    for (const [path, message] of Object.entries(upstreams.errors)) problems[field(path)] = message;
    lines[field("upstreams")] = upstreams.lines;
    route.upstreams = upstreams.items;
  }

  const errorPages: Record<string, string | null> = {};
  for (const code of ERROR_PAGE_STATUSES) {
    const page = text(formData, `errorPages.${code}`);
    if (page.trim() !== "") errorPages[code] = page;
    else if (patch) errorPages[code] = null;
  }

  return {
    input: {
      routes,
      redirect: checked(formData, "redirect") ? redirectAt("redirect") : null,
      maintenance: { enabled: checked(formData, "maintenance.enabled"), message: text(formData, "maintenance.message") },
      errorPages,
    },
    problems,
    lines,
    fields,
    headerRows,
  };
}

/** A route's header match rows; a row left empty is no match at all. */
function readHeaderRows(formData: FormData, route: number) {
  const headers: Record<string, string> = {};
  const byName = new Map<string, number>();
  const rowFields: string[] = [];
  const duplicates: number[] = [];
  for (let row = 0; formData.has(routeHeaderField(route, row, "name")); row++) {
    rowFields.push(routeHeaderField(route, row, "name"), routeHeaderField(route, row, "value"));
    const name = text(formData, routeHeaderField(route, row, "name")).trim();
    const value = text(formData, routeHeaderField(route, row, "value"));
    if (name === "" && value.trim() === "") continue;
    // Header names are matched in any case, so "X-Version" and "x-version" are one header.
    if ([...byName.keys()].some((earlier) => earlier.toLowerCase() === name.toLowerCase())) {
      duplicates.push(row);
      continue;
    }
    headers[name] = value;
    byName.set(name, row);
  }
  return { headers, byName, rowFields, duplicates };
}

/**
 * The input that shows the error at a route header's path: "routes.1.headers.X-Version" is the
 * name of the row that header came from (the path is keyed by the header's name, which may hold
 * dots). Undefined for other paths.
 */
export function routeHeaderErrorField(path: string, headerRows: Map<string, number>[]): string | undefined {
  const match = /^routes\.(\d+)\.headers\.(.+)$/.exec(path);
  if (!match) return undefined;
  const route = Number(match[1]);
  const row = headerRows[route]?.get(match[2] ?? "");
  return row === undefined ? routeField(route, "headers") : routeHeaderField(route, row, "name");
}
