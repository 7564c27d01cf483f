import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, unusedPort, type Backend, type EchoResponse } from "@/test-support/backend";
import { request, websocketEcho, type SimpleResponse } from "@/test-support/http-client";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";

/**
 * Routes and redirection hosts through the real proxy (primary and workers) on a real database,
 * saved through the services as the dashboard saves them. The site's own upstream listens on
 * 127.0.0.1, the routes' on 127.0.0.1 and [::1]; every upstream echoes the target it received.
 */
let product: ProxyOnDatabase;
let main: Backend;
let api: Backend;
let v2: Backend;
const ROBOTS = "User-agent: *\nDisallow: /private\n";

beforeAll(async () => {
  product = await startProxyOnDatabase({ workers: 2 });
  [main, api, v2] = await Promise.all([startBackend({ name: "main" }), startBackend({ name: "api", host: "::1" }), startBackend({ name: "v2" })]);
  const down = `http://127.0.0.1:${await unusedPort()}`;
  const to = (backend: Backend) => [{ url: backend.url }];
  await product.addSite({
    name: "Routed",
    hostnames: ["routed.test"],
    upstreams: to(main),
    healthCheck: { enabled: false },
    routes: [
      { pathPrefix: "/api", upstreams: to(api) },
      { pathPrefix: "/api/v2", upstreams: to(v2), stripPrefix: true, addPrefix: "/version2" },
      { pathPrefix: "/beta", headers: { "X-Channel": "beta" }, upstreams: to(v2) },
      { pathPrefix: "/strip", stripPrefix: true, upstreams: to(api) },
      { pathPrefix: "/add", addPrefix: "/base", upstreams: to(api) },
      { pathPrefix: "/ws", stripPrefix: true, upstreams: to(api) },
      { pathPrefix: "/down", upstreams: [{ url: down }] },
      { pathPrefix: "/r301", redirect: { to: "https://new.example.com", status: 301, preservePath: true } },
      { pathPrefix: "/r302", redirect: { to: "https://new.example.com/landing", status: 302, preservePath: false } },
      { pathPrefix: "/r307", stripPrefix: true, redirect: { to: "/elsewhere/", status: 307, preservePath: true } },
      { pathPrefix: "/r308", redirect: { to: "https://new.example.com/", status: 308, preservePath: true } },
      { pathPrefix: "/robots.txt", respond: { status: 200, contentType: "text/plain; charset=utf-8", body: ROBOTS } },
      { pathPrefix: "/teapot", respond: { status: 418, contentType: "application/json", body: '{"short":"stout"}' } },
    ],
  });
  await product.addSite({
    name: "Moved",
    hostnames: ["moved.test"],
    upstreams: [],
    healthCheck: { enabled: false },
    redirect: { to: "https://www.example.com/", status: 308, preservePath: true },
  });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await Promise.all([main?.close(), api?.close(), v2?.close()]);
});

function get(path: string, options: { host?: string; method?: string; headers?: Record<string, string> } = {}): Promise<SimpleResponse> {
  return request({ port: product.proxy.httpPort, host: options.host ?? "routed.test", path, method: options.method, headers: options.headers });
}

/** Which upstream got the request, and the target it received. */
async function served(path: string, headers?: Record<string, string>): Promise<[string, string]> {
  const response = await get(path, { headers });
  expect(response.status, response.body).toBe(200);
  const echo = JSON.parse(response.body) as EchoResponse;
  return [echo.backend, echo.url];
}

describe("routes to upstreams", () => {
  it("takes a prefix by whole segments, the query included; anything else goes to the site's upstreams", async () => {
    expect(await served("/api")).toEqual(["api", "/api"]);
    expect(await served("/api/x")).toEqual(["api", "/api/x"]);
    expect(await served("/api?q=1")).toEqual(["api", "/api?q=1"]);
    expect(await served("/apix")).toEqual(["main", "/apix"]);
    expect(await served("/")).toEqual(["main", "/"]);
  });

  it("lets the longest prefix win", async () => {
    expect(await served("/api/v2/users?page=2")).toEqual(["v2", "/version2/users?page=2"]);
    expect(await served("/api/v2x")).toEqual(["api", "/api/v2x"]);
  });

  it("matches headers by exact value, whatever the case of their names", async () => {
    expect(await served("/beta/x", { "x-channel": "beta" })).toEqual(["v2", "/beta/x"]);
    expect(await served("/beta/x", { "X-CHANNEL": "beta" })).toEqual(["v2", "/beta/x"]);
    expect(await served("/beta/x", { "x-channel": "Beta" })).toEqual(["main", "/beta/x"]);
    expect(await served("/beta/x")).toEqual(["main", "/beta/x"]);
  });

  it("strips and adds prefixes, leaving the query as it came", async () => {
    expect(await served("/strip/a/b?x=1&y=%2F")).toEqual(["api", "/a/b?x=1&y=%2F"]);
    expect(await served("/strip?x=1")).toEqual(["api", "/?x=1"]);
    expect(await served("/strip")).toEqual(["api", "/"]);
    expect(await served("/add/x?q=1")).toEqual(["api", "/base/add/x?q=1"]);
  });

  it("routes a websocket upgrade by its path", async () => {
    const seen = api.upgrades.length;
    expect(await websocketEcho({ port: product.proxy.httpPort, host: "routed.test", path: "/ws/chat?room=1", message: "hi" })).toBe("api:hi");
    expect(api.upgrades.slice(seen).map((upgrade) => upgrade.url)).toEqual(["/chat?room=1"]);
    expect(await websocketEcho({ port: product.proxy.httpPort, host: "routed.test", path: "/chat", message: "hi" })).toBe("main:hi");
  });

  it("answers 502 for a route whose upstream is down, while the site's own upstreams still serve", async () => {
    const failed = await get("/down/x");
    expect(failed.status).toBe(502);
    expect(failed.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(await served("/x")).toEqual(["main", "/x"]);
  });
});

describe("redirects", () => {
  it.each([
    ["/r301/a/b?x=1", 301, "https://new.example.com/r301/a/b?x=1"],
    ["/r302/a?x=1", 302, "https://new.example.com/landing"],
    ["/r307/a?x=1", 307, "/elsewhere/a?x=1"],
    ["/r307", 307, "/elsewhere/"],
    ["/r308/a", 308, "https://new.example.com/r308/a"],
  ])("%s: %i to %s, with the site's headers", async (path, status, location) => {
    const response = await get(path, { method: status >= 307 ? "POST" : "GET" });
    expect(response.status).toBe(status);
    expect(response.headers.location).toBe(location);
    expect(response.headers["x-frame-options"]).toBe("SAMEORIGIN");
  });

  it("redirects every request of a redirection host, which has no upstream, with the whole path and query", async () => {
    const before = main.received();
    for (const [path, location] of [
      ["/", "https://www.example.com/"],
      ["/a/b?x=1", "https://www.example.com/a/b?x=1"],
    ]) {
      const response = await get(path!, { host: "moved.test" });
      expect(response.status).toBe(308);
      expect(response.headers.location).toBe(location);
    }
    expect(main.received()).toBe(before);
  });
});

describe("fixed answers", () => {
  it("answers with the configured status, content type and body, and the site's headers", async () => {
    const before = main.received() + api.received() + v2.received();
    const robots = await get("/robots.txt");
    expect(robots.status).toBe(200);
    expect(robots.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(robots.headers["content-length"]).toBe(String(Buffer.byteLength(ROBOTS)));
    expect(robots.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(robots.body).toBe(ROBOTS);
    const teapot = await get("/teapot");
    expect([teapot.status, teapot.headers["content-type"], teapot.body]).toEqual([418, "application/json", '{"short":"stout"}']);
    expect(main.received() + api.received() + v2.received()).toBe(before);
  });

  it("answers HEAD with the length and no body", async () => {
    const head = await get("/robots.txt", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(Buffer.byteLength(ROBOTS)));
    expect(head.body).toBe("");
  });
});
