import { describe, expect, it } from "vitest";
import { zodDetails } from "@/lib/errors";
import { siteInputSchema } from "@/lib/schemas/site";
import { fieldErrorsFrom } from "@/app/_lib/form-state";
import { formValuesOf, NEW_SITE, SITE_FIELDS, type SiteFormValues } from "./form-values";
import { ordinal, routeExample, tryOrder } from "./route-example";
import { NEW_ROUTE, readRoutingForm, routeField, routeHeaderErrorField, type RouteRow } from "./routing-form";

/** What the browser posts for the Routing tab: each route's inputs for its chosen action, unchecked boxes left out. */
function posted(values: SiteFormValues): FormData {
  const form = new FormData();
  const add = (name: string, value: string | boolean) => {
    if (value !== false) form.append(name, value === true ? "on" : value);
  };
  values.routes.forEach((route, index) => {
    const field = (path: string) => routeField(index, path);
    add(field("id"), route.id);
    add(field("pathPrefix"), route.pathPrefix);
    route.headers.forEach(({ name, value }, row) => {
      add(field(`headers.${row}.name`), name);
      add(field(`headers.${row}.value`), value);
    });
    add(field("action"), route.action);
    if (route.action !== "respond") {
      add(field("stripPrefix"), route.stripPrefix);
      add(field("addPrefix"), route.addPrefix);
    }
    if (route.action === "upstreams") add(field("upstreams"), route.upstreams);
    if (route.action === "redirect") {
      add(field("redirect.to"), route.redirect.to);
      add(field("redirect.status"), route.redirect.status);
      add(field("redirect.preservePath"), route.redirect.preservePath);
    }
    if (route.action === "respond") {
      add(field("respond.status"), route.respond.status);
      add(field("respond.contentType"), route.respond.contentType);
      add(field("respond.body"), route.respond.body);
    }
  });
  add("redirect", values.redirect);
  if (values.redirect) {
    add("redirect.to", values["redirect.to"]);
    add("redirect.status", values["redirect.status"]);
    add("redirect.preservePath", values["redirect.preservePath"]);
  }
  add("maintenance.enabled", values["maintenance.enabled"]);
  add("maintenance.message", values["maintenance.message"]);
  for (const code of ["404", "502", "503", "504"] as const) add(`errorPages.${code}`, values[`errorPages.${code}`]);
  return form;
}

const minimal = { name: "Shop", hostnames: ["shop.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] };
const route = (change: Partial<RouteRow>): RouteRow => ({ ...NEW_ROUTE, ...change });

describe("reading the Routing tab", () => {
  it("posts back exactly what a site has: routes (with their ids), redirect, maintenance and error pages survive an untouched save", () => {
    const data = siteInputSchema.parse({
      ...minimal,
      routes: [
        {
          id: "r-api",
          pathPrefix: "/api",
          headers: { "x-version": "2" },
          stripPrefix: true,
          addPrefix: "/v2",
          upstreams: [{ url: "http://10.0.0.7:8080", weight: 3 }],
        },
        { id: "r-old", pathPrefix: "/old", redirect: { to: "https://new.example.com", status: 308, preservePath: false } },
        { id: "r-robots", pathPrefix: "/robots.txt", respond: { status: 200, contentType: "text/plain", body: "User-agent: *" } },
      ],
      redirect: { to: "https://elsewhere.example", status: 302, preservePath: true },
      maintenance: { enabled: true, message: "Back soon" },
      errorPages: { "404": "<h1>Gone</h1>" },
    });
    const site = { ...data, id: "s1", upstreams: [], status: { applied: true, appliedRevision: 1, error: null }, createdAt: "", updatedAt: "" };
    const { input, problems } = readRoutingForm(posted(formValuesOf(site)), { patch: false });
    expect(problems).toEqual({});
    const saved = siteInputSchema.parse({ ...minimal, ...input });
    expect(saved.routes).toEqual(data.routes);
    expect({ redirect: saved.redirect, maintenance: saved.maintenance, errorPages: saved.errorPages }).toEqual({
      redirect: data.redirect,
      maintenance: data.maintenance,
      errorPages: data.errorPages,
    });
  });

  it("a new site's form posts the API's defaults", () => {
    const { input } = readRoutingForm(posted(NEW_SITE), { patch: false });
    expect(siteInputSchema.parse({ ...minimal, ...input })).toEqual(siteInputSchema.parse(minimal));
  });

  it("sends a cleared error page as removed when saving onto a site, and leaves it out for a new one", () => {
    expect(readRoutingForm(posted(NEW_SITE), { patch: true }).input.errorPages).toEqual({ "404": null, "502": null, "503": null, "504": null });
    expect(readRoutingForm(posted({ ...NEW_SITE, "errorPages.502": "<p>Down</p>" }), { patch: false }).input.errorPages).toEqual({
      "502": "<p>Down</p>",
    });
  });

  it("reads routes in the order posted, sends only the chosen action, and leaves out new routes' ids and empty header rows", () => {
    const values = {
      ...NEW_SITE,
      routes: [
        route({ pathPrefix: "/b", action: "respond", upstreams: "http://10.0.0.9", respond: { status: "204", contentType: "text/plain", body: "" } }),
        route({
          id: "kept",
          pathPrefix: "/a",
          upstreams: "http://10.0.0.8",
          headers: [{ name: "", value: "" }],
          redirect: { to: "/x", status: "301", preservePath: true },
        }),
      ],
    };
    const { input, fields } = readRoutingForm(posted(values), { patch: false });
    expect(input.routes).toEqual([
      { pathPrefix: "/b", headers: {}, respond: { status: 204, contentType: "text/plain", body: "" } },
      { id: "kept", pathPrefix: "/a", headers: {}, stripPrefix: false, addPrefix: "", upstreams: [{ url: "http://10.0.0.8" }] },
    ]);
    expect(fields).toContain("routes.1.upstreams");
    expect(fields).toContain("routes.1.headers.0.name");
  });

  it("notes the form's own problems by the service's path, and numbers upstream lines", () => {
    const values = {
      ...NEW_SITE,
      redirect: true,
      "redirect.to": "https://new.example.com",
      "redirect.status": "soon",
      routes: [
        route({ pathPrefix: "/api", upstreams: "\nhttp://10.0.0.7 weight=x" }),
        route({ pathPrefix: "/t", action: "respond", respond: { status: "", contentType: "text/plain", body: "" } }),
        route({
          pathPrefix: "/h",
          headers: [
            { name: "X-A", value: "1" },
            { name: "x-a", value: "2" },
          ],
        }),
      ],
    };
    const form = readRoutingForm(posted(values), { patch: false });
    expect(form.problems).toEqual({
      "redirect.status": "Use a status code of three digits, like 301",
      "routes.0.upstreams.0.weight": "weight must be a whole number from 1 to 100, like weight=3",
      "routes.1.respond.status": "Enter a status code, like 200",
      "routes.2.headers.1.name": "This header is matched twice: keep one",
    });
    const { fieldErrors } = fieldErrorsFrom(form.problems, [...SITE_FIELDS, ...form.fields], form.lines);
    expect(fieldErrors["routes.0.upstreams"]).toEqual(["Line 2: weight must be a whole number from 1 to 100, like weight=3"]);
    expect(fieldErrors["routes.1.respond.status"]).toEqual(["Enter a status code, like 200"]);
  });

  it("lands the service's errors on the route's inputs, header errors on the row of that header", () => {
    const values = {
      ...NEW_SITE,
      routes: [
        route({ pathPrefix: "/ok", upstreams: "http://10.0.0.7" }),
        route({
          pathPrefix: "api",
          headers: [
            { name: "", value: "" },
            { name: "Bad Name", value: "1" },
          ],
        }),
      ],
    };
    const form = readRoutingForm(posted(values), { patch: false });
    const result = siteInputSchema.safeParse({ ...minimal, ...form.input });
    const details = zodDetails(result.error!);
    expect(details["routes.1.pathPrefix"]).toMatch(/Start the path with \//);
    expect(details["routes.1.upstreams"]).toBe("Add at least one upstream server");
    expect(routeHeaderErrorField("routes.1.headers.Bad Name", form.headerRows)).toBe("routes.1.headers.1.name");
    expect(routeHeaderErrorField("routes.1.headers", form.headerRows)).toBeUndefined();
    // As the save action does: header details moved to their rows first.
    const placed = Object.fromEntries(
      Object.entries(details).map(([path, message]) => [routeHeaderErrorField(path, form.headerRows) ?? path, message]),
    );
    expect(fieldErrorsFrom(placed, [...SITE_FIELDS, ...form.fields]).fieldErrors).toEqual({
      "routes.1.pathPrefix": [details["routes.1.pathPrefix"]],
      "routes.1.headers.1.name": ["Use a header name of letters, digits and dashes, like X-Version"],
      "routes.1.upstreams": ["Add at least one upstream server"],
    });
  });
});

describe("the live example", () => {
  it("follows a request through strip and add to the first upstream", () => {
    const api = route({ pathPrefix: "/api/", stripPrefix: true, addPrefix: "/v2", upstreams: "10.0.0.7:8080\nhttp://10.0.0.8:8080" });
    expect(routeExample(api)).toBe("/api/page goes to http://10.0.0.7:8080/v2/page (or the same path on the other server).");
    expect(routeExample(route({ pathPrefix: "/api", upstreams: "http://10.0.0.7:8080/" }))).toBe("/api/page goes to http://10.0.0.7:8080/api/page.");
    expect(routeExample(route({ pathPrefix: "/api" }))).toBe("/api/page goes to the upstream servers you list, as /api/page.");
  });

  it("says where a redirect goes and what a fixed answer is, with the headers it needs", () => {
    const old = route({
      pathPrefix: "/old",
      stripPrefix: true,
      action: "redirect",
      redirect: { to: "https://new.example.com/", status: "301", preservePath: true },
    });
    expect(routeExample(old)).toBe("/old/page redirects (301) to https://new.example.com/page.");
    expect(routeExample({ ...old, redirect: { ...old.redirect, preservePath: false } })).toBe(
      "/old/page redirects (301) to https://new.example.com/.",
    );
    const robots = route({
      pathPrefix: "/robots.txt",
      action: "respond",
      respond: { status: "200", contentType: "text/plain", body: "User-agent: *" },
    });
    expect(routeExample(robots)).toBe("/robots.txt is answered 200 with the body above.");
    const beta = route({ pathPrefix: "/", headers: [{ name: "X-Beta", value: "1" }], upstreams: "http://10.0.0.9" });
    expect(routeExample(beta)).toBe("/page with X-Beta: 1 goes to http://10.0.0.9/page.");
  });

  it("waits for a valid prefix", () => {
    expect(routeExample(route({ pathPrefix: "" }))).toBeNull();
    expect(routeExample(route({ pathPrefix: "api" }))).toBeNull();
  });

  it("tells which routes that could take the same request are tried first: the longest prefix, then the listed order", () => {
    const routes = [
      route({ pathPrefix: "/api" }),
      route({ pathPrefix: "/api/v2" }),
      route({ pathPrefix: "/blog" }),
      route({ pathPrefix: "/api" }),
      route({ pathPrefix: "x" }),
    ];
    expect(tryOrder(routes)).toEqual([
      { rank: 3, triedBefore: [2], triedAfter: [4] },
      { rank: 1, triedBefore: [], triedAfter: [1, 4] },
      { rank: 2, triedBefore: [], triedAfter: [] },
      { rank: 4, triedBefore: [1, 2], triedAfter: [] },
      null,
    ]);
    expect([1, 2, 3, 4, 11, 12, 22].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "22nd"]);
  });
});
