import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { AppError } from "../errors";
import { db } from "../db";
import { createSite, getSite, updateSite } from "./sites";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

const shop = { name: "Shop", hostnames: ["shop.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] };

async function detailsOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).details;
}

describe("sites service: routing", () => {
  it("gives a new site no routes, no redirect, no maintenance and the built-in error pages", async () => {
    const site = await createSite(shop);
    expect(site).toMatchObject({ routes: [], redirect: null, maintenance: { enabled: false, message: "" }, errorPages: {} });
  });

  it("stores routes in their order, normalised, with ids for each route and route upstream", async () => {
    const site = await createSite({
      ...shop,
      routes: [
        { pathPrefix: "/api/", stripPrefix: true, addPrefix: "/v2", upstreams: [{ url: "127.0.0.1:9000" }] },
        { pathPrefix: "/old", redirect: { to: "https://new.example.com", status: 308 } },
        { pathPrefix: "/robots.txt", respond: { status: 200, body: "User-agent: *\nDisallow: /\n" } },
        { pathPrefix: "/beta", headers: { "X-Version": "2" }, upstreams: [{ url: "http://127.0.0.1:9001", weight: 3 }] },
      ],
    });
    expect(site.routes).toEqual([
      {
        id: expect.any(String),
        pathPrefix: "/api",
        headers: {},
        stripPrefix: true,
        addPrefix: "/v2",
        upstreams: [{ id: expect.any(String), url: "http://127.0.0.1:9000", weight: 1 }],
      },
      {
        id: expect.any(String),
        pathPrefix: "/old",
        headers: {},
        stripPrefix: false,
        addPrefix: "",
        redirect: { to: "https://new.example.com", status: 308, preservePath: true },
      },
      {
        id: expect.any(String),
        pathPrefix: "/robots.txt",
        headers: {},
        stripPrefix: false,
        addPrefix: "",
        respond: { status: 200, contentType: "text/plain; charset=utf-8", body: "User-agent: *\nDisallow: /\n" },
      },
      {
        id: expect.any(String),
        pathPrefix: "/beta",
        headers: { "x-version": "2" },
        stripPrefix: false,
        addPrefix: "",
        upstreams: [{ id: expect.any(String), url: "http://127.0.0.1:9001", weight: 3 }],
      },
    ]);
    const ids = site.routes.flatMap((route) => [route.id, ...(route.upstreams ?? []).map((upstream) => upstream.id)]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await getSite(site.id)).toEqual(site);
  });

  it("keeps route and upstream ids across edits: sent back, moved, or matching the same requests", async () => {
    const site = await createSite({
      ...shop,
      routes: [
        { pathPrefix: "/a", upstreams: [{ url: "http://127.0.0.1:9000" }, { url: "http://127.0.0.1:9001" }] },
        { pathPrefix: "/b", upstreams: [{ url: "http://127.0.0.1:9002" }] },
      ],
    });
    const [a, b] = site.routes;
    // Reordered, "/a" sent with its id and one upstream dropped, "/b" sent without an id.
    const edited = await updateSite(site.id, {
      routes: [
        { pathPrefix: "/b", upstreams: [{ url: "http://127.0.0.1:9002" }] },
        { id: a!.id, pathPrefix: "/a-renamed", upstreams: [{ url: "http://127.0.0.1:9001" }, { url: "http://127.0.0.1:9003" }] },
        { id: "made-up-by-a-client", pathPrefix: "/c", respond: { status: 204 } },
      ],
    });
    expect(edited.routes.map((route) => route.id)).toEqual([b!.id, a!.id, expect.not.stringMatching(/made-up/)]);
    expect(edited.routes[1]!.upstreams!.map((upstream) => upstream.id)).toEqual([a!.upstreams![1]!.id, expect.any(String)]);
    expect(edited.routes[1]!.upstreams![1]!.id).not.toBe(a!.upstreams![0]!.id);
  });

  it("names the field of each routing mistake, and keeps what was saved", async () => {
    const site = await createSite(shop);
    const details = await detailsOf(
      updateSite(site.id, {
        routes: [
          { pathPrefix: "api", upstreams: [{ url: "http://127.0.0.1:9000" }] },
          { pathPrefix: "/x", upstreams: [{ url: "http://127.0.0.1:9000" }], respond: { status: 200 } },
          { pathPrefix: "/y" },
          { pathPrefix: "/z", redirect: { to: "javascript:alert(1)", status: 301 } },
          { pathPrefix: "/w", redirect: { to: "https://ok.example.com", status: 303 } },
          { pathPrefix: "/v", respond: { status: 99 } },
          { pathPrefix: "/x/../etc", respond: { status: 200 } },
          { pathPrefix: "/h", headers: { "bad header": "1" }, respond: { status: 200 } },
          { pathPrefix: "/x", respond: { status: 200 } },
        ],
        maintenance: { enabled: "yes" },
        errorPages: { "500": "<p>no</p>" },
      }),
    );
    expect(details).toMatchObject({
      "routes.0.pathPrefix": expect.stringMatching(/Start the path with \//),
      "routes.1": expect.stringMatching(/one action/),
      "routes.2": expect.stringMatching(/one action/),
      "routes.3.redirect.to": expect.stringMatching(/full address/),
      "routes.4.redirect.status": expect.stringMatching(/301, 302, 307, 308/),
      "routes.5.respond.status": expect.stringMatching(/200 to 599/),
      "routes.6.pathPrefix": expect.stringMatching(/"\.\."/),
      "routes.7.headers.bad header": expect.stringMatching(/header name/),
      "maintenance.enabled": expect.any(String),
    });
    expect(Object.keys(details).some((path) => path.startsWith("errorPages"))).toBe(true);
    expect(await getSite(site.id)).toMatchObject({ routes: [], maintenance: { enabled: false } });
  });

  it("refuses a route listed twice for the same requests", async () => {
    const details = await detailsOf(
      createSite({
        ...shop,
        routes: [
          { pathPrefix: "/api", respond: { status: 200 } },
          { pathPrefix: "/api/", respond: { status: 201 } },
        ],
      }),
    );
    expect(details["routes.1.pathPrefix"]).toMatch(/\/api is listed twice/);
  });

  it("checks a route's upstreams as strictly as the site's own", async () => {
    const details = await detailsOf(createSite({ ...shop, routes: [{ pathPrefix: "/meta", upstreams: [{ url: "http://169.254.169.254" }] }] }));
    expect(details["routes.0.upstreams.0.url"]).toMatch(/link-local|metadata/i);
  });

  it("lets a redirection host have no upstream, and asks for one once it stops redirecting", async () => {
    const site = await createSite({
      name: "Old name",
      hostnames: ["old.example.com"],
      upstreams: [],
      redirect: { to: "https://new.example.com", status: 301 },
    });
    expect(site.redirect).toEqual({ to: "https://new.example.com", status: 301, preservePath: true });
    expect(site.upstreams).toEqual([]);
    expect(await detailsOf(updateSite(site.id, { redirect: null }))).toEqual({ upstreams: "Add at least one upstream server" });
    expect(await detailsOf(createSite({ name: "Nothing", hostnames: ["nothing.example.com"], upstreams: [] }))).toEqual({
      upstreams: "Add at least one upstream server",
    });
  });

  it("patches maintenance, the redirect and error pages key by key; null removes a page", async () => {
    const site = await createSite({ ...shop, errorPages: { "502": "<h1>Back soon</h1>", "404": "<h1>Nothing here</h1>" } });
    const edited = await updateSite(site.id, { maintenance: { enabled: true }, errorPages: { "404": null, "503": "<h1>Busy</h1>" } });
    expect(edited.maintenance).toEqual({ enabled: true, message: "" });
    expect(edited.errorPages).toEqual({ "502": "<h1>Back soon</h1>", "503": "<h1>Busy</h1>" });
    const message = await updateSite(site.id, { maintenance: { message: "  Upgrading the database, back at 14:00  " } });
    expect(message.maintenance).toEqual({ enabled: true, message: "Upgrading the database, back at 14:00" });
  });

  it("reads a stored routing value that no longer parses as no routing, without failing the site", async () => {
    const site = await createSite({ ...shop, routes: [{ pathPrefix: "/a", respond: { status: 200 } }] });
    await db().site.update({ where: { id: site.id }, data: { routes: "not json", maintenance: '{"enabled":"sometimes"}' } });
    expect(await getSite(site.id)).toMatchObject({ routes: [], maintenance: { enabled: false, message: "" } });
  });
});
