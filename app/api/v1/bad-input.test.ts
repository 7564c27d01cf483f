import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminApiToken, apiError, callRoute, type RouteCall, type RouteHandler } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import * as sitesRoute from "./sites/route";
import * as siteRoute from "./sites/[id]/route";
import * as tokensRoute from "./tokens/route";
import * as listsRoute from "./access-lists/route";
import * as listRoute from "./access-lists/[id]/route";
import * as certificatesRoute from "./certificates/route";
import * as explainRoute from "./explain/route";
import * as dnsProvidersRoute from "./dns-providers/route";
import * as dnsProviderRoute from "./dns-providers/[id]/route";
import * as dnsProviderTestRoute from "./dns-providers/[id]/test/route";
import * as streamsRoute from "./streams/route";
import * as streamRoute from "./streams/[id]/route";
import { unusedPort } from "@/test-support/backend";

/** Input the API must refuse with a 400 naming the field, saving nothing, and never a 500. */
let cleanup: () => Promise<void>;
let token: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
});
afterEach(() => cleanup());

const call = <P>(handler: RouteHandler<P>, method: string, path: string, options: Omit<RouteCall, "token"> = {}, params = {} as P) =>
  callRoute(handler, method, path, { ...options, token }, params);

// Loopback only: tests send nothing, and store no upstream, anywhere else.
const blog = { name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] };

/** Names that cannot be stored (a lone surrogate) or that hide or disguise text. */
const BAD_NAMES: [string, RegExp][] = [
  ["\ud800x", /lone UTF-16 surrogate \(U\+D800\)/],
  ["x\udc00", /lone UTF-16 surrogate \(U\+DC00\)/],
  ["Blog\u0000", /NUL character/],
  ["Blog\u0007", /control character \(U\+0007\)/],
  ["Blog \u202Egnp.exe", /bidirectional override \(U\+202E\)/],
  ["\u2066Blog", /bidirectional override \(U\+2066\)/],
];

describe("names that are not plain text", () => {
  it.each(BAD_NAMES)("POST /api/v1/sites refuses %j with 400 naming the problem", async (name, problem) => {
    const error = await apiError(await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: { ...blog, name } }));
    expect(error).toMatchObject({ status: 400, code: "validation_failed", details: { name: expect.stringMatching(problem) } });
    expect(await (await call(sitesRoute.GET, "GET", "/api/v1/sites")).json()).toEqual([]);
  });

  it.each(BAD_NAMES)("PATCH /api/v1/sites/:id refuses %j and keeps the saved name", async (name, problem) => {
    const site = (await (await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: blog })).json()) as { id: string };
    const error = await apiError(await call(siteRoute.PATCH, "PATCH", `/api/v1/sites/${site.id}`, { body: { name } }, { id: site.id }));
    expect(error).toMatchObject({ status: 400, code: "validation_failed", details: { name: expect.stringMatching(problem) } });
    const saved = (await (await call(siteRoute.GET, "GET", `/api/v1/sites/${site.id}`, {}, { id: site.id })).json()) as { name: string };
    expect(saved.name).toBe("Blog");
  });

  it.each(BAD_NAMES)("POST /api/v1/tokens refuses %j, with a token and with a password", async (name, problem) => {
    const withToken = await apiError(await call(tokensRoute.POST, "POST", "/api/v1/tokens", { body: { name } }));
    expect(withToken).toMatchObject({ status: 400, details: { name: expect.stringMatching(problem) } });
    const withPassword = await apiError(
      await callRoute(tokensRoute.POST, "POST", "/api/v1/tokens", { body: { email: "admin@example.com", password: "long enough pw", name } }),
    );
    expect(withPassword).toMatchObject({ status: 400, details: { name: expect.stringMatching(problem) } });
    const tokens = (await (await call(tokensRoute.GET, "GET", "/api/v1/tokens")).json()) as { name: string }[];
    expect(tokens.map((saved) => saved.name)).toEqual(["tests"]);
  });

  it.each(BAD_NAMES)("access lists refuse %j as a name or a username", async (name, problem) => {
    const list = { name: "Office", basicAuth: [{ username: "ann", password: "long enough" }] };
    const badName = await apiError(await call(listsRoute.POST, "POST", "/api/v1/access-lists", { body: { ...list, name } }));
    expect(badName).toMatchObject({ status: 400, details: { name: expect.stringMatching(problem) } });
    const badUser = await apiError(
      await call(listsRoute.POST, "POST", "/api/v1/access-lists", {
        body: { ...list, basicAuth: [{ username: `ann${name}`, password: "long enough" }] },
      }),
    );
    expect(badUser).toMatchObject({ status: 400, details: { "basicAuth.0.username": expect.stringMatching(problem) } });
    const saved = (await (await call(listsRoute.POST, "POST", "/api/v1/access-lists", { body: list })).json()) as { id: string };
    const patched = await apiError(await call(listRoute.PATCH, "PATCH", `/api/v1/access-lists/${saved.id}`, { body: { name } }, { id: saved.id }));
    expect(patched).toMatchObject({ status: 400, details: { name: expect.stringMatching(problem) } });
  });

  it.each(BAD_NAMES)("streams refuse %j as a name on POST and PATCH, and keep the saved one", async (name, problem) => {
    const postgres = { name: "Postgres", protocol: "tcp", listenPort: await unusedPort(), upstreams: [{ url: "127.0.0.1:15432" }] };
    const created = await apiError(await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: { ...postgres, name } }));
    expect(created).toMatchObject({ status: 400, code: "validation_failed", details: { name: expect.stringMatching(problem) } });
    const saved = (await (await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: postgres })).json()) as { id: string };
    const patched = await apiError(await call(streamRoute.PATCH, "PATCH", `/api/v1/streams/${saved.id}`, { body: { name } }, { id: saved.id }));
    expect(patched).toMatchObject({ status: 400, details: { name: expect.stringMatching(problem) } });
    const streams = (await (await call(streamsRoute.GET, "GET", "/api/v1/streams")).json()) as { name: string }[];
    expect(streams.map((stream) => stream.name)).toEqual(["Postgres"]);
  });

  it.each(BAD_NAMES)("POST /api/v1/certificates refuses %j as a certificate's name", async (name, problem) => {
    const error = await apiError(
      await call(certificatesRoute.POST, "POST", "/api/v1/certificates", { body: { type: "self-signed", name, domains: ["blog.example.com"] } }),
    );
    expect(error).toMatchObject({ status: 400, details: { name: expect.stringMatching(problem) } });
    expect(await (await call(certificatesRoute.GET, "GET", "/api/v1/certificates")).json()).toEqual([]);
  });

  it("refuses a lone surrogate in any other field too, by its path", async () => {
    const error = await apiError(
      await call(sitesRoute.POST, "POST", "/api/v1/sites", {
        body: { ...blog, securityHeaders: { contentSecurityPolicy: "default-src \ud800" } },
      }),
    );
    expect(error).toMatchObject({
      status: 400,
      details: { "securityHeaders.contentSecurityPolicy": expect.stringMatching(/lone UTF-16 surrogate/) },
    });
  });
});

describe("upstreams and sites that are accepted today but must not be", () => {
  const refusedUpstream = async (url: string) => {
    const error = await apiError(await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: { ...blog, upstreams: [{ url }] } }));
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(await (await call(sitesRoute.GET, "GET", "/api/v1/sites")).json()).toEqual([]);
    return error.details["upstreams.0.url"];
  };

  it("refuses an upstream URL with a line break instead of storing it as /X-Inj:%201", async () => {
    expect(await refusedUpstream("http://127.0.0.1:8080/\r\nX-Inj: 1")).toMatch(/line breaks/);
    expect(await refusedUpstream("http://127.0.0.1:8080/a\nb")).toMatch(/line breaks/);
  });

  it("refuses a 100,000-character upstream URL", async () => {
    expect(await refusedUpstream(`http://127.0.0.1:8080/${"a".repeat(100_000)}`)).toMatch(/at most 2,048 characters/);
  });

  it("refuses unix: URLs and port 0", async () => {
    expect(await refusedUpstream("unix:/var/run/app.sock")).toMatch(/Unix sockets are not supported/);
    expect(await refusedUpstream("http://127.0.0.1:0")).toMatch(/port from 1 to 65535/);
    expect(await refusedUpstream("http://127.0.0.1:70000")).toMatch(/port from 1 to 65535/);
  });

  it("refuses an upstream that is this product itself on a loopback address", async () => {
    // adminApiToken put the control port at 1; the other ports are the defaults of a test run.
    expect(await refusedUpstream("http://127.0.0.1:1")).toMatch(/control port/);
    expect(await refusedUpstream("http://localhost:3000")).toMatch(/dashboard/);
    expect(await refusedUpstream("http://[::1]")).toMatch(/HTTP port/);
    expect(await refusedUpstream("https://127.0.0.1")).toMatch(/HTTPS port/);
  });

  it("refuses unknown keys on POST /api/v1/sites as PATCH does, naming each", async () => {
    const error = await apiError(
      await call(sitesRoute.POST, "POST", "/api/v1/sites", {
        body: { ...blog, upstream: "http://127.0.0.1:8081", upstreams: [{ url: "http://127.0.0.1:8080", wieght: 2 }] },
      }),
    );
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(error.details).sort()).toEqual(["upstream", "upstreams.0.wieght"]);
    expect(await (await call(sitesRoute.GET, "GET", "/api/v1/sites")).json()).toEqual([]);
  });

  it("keeps the link-local opt-in per site, off unless sent", async () => {
    const created = (await (await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: blog })).json()) as {
      id: string;
      allowLinkLocalUpstreams: boolean;
    };
    expect(created.allowLinkLocalUpstreams).toBe(false);
    const patch = (body: unknown) => call(siteRoute.PATCH, "PATCH", `/api/v1/sites/${created.id}`, { body }, { id: created.id });
    expect(((await (await patch({ allowLinkLocalUpstreams: true })).json()) as { allowLinkLocalUpstreams: boolean }).allowLinkLocalUpstreams).toBe(
      true,
    );
    const read = (await (await call(siteRoute.GET, "GET", `/api/v1/sites/${created.id}`, {}, { id: created.id })).json()) as {
      allowLinkLocalUpstreams: boolean;
    };
    expect(read.allowLinkLocalUpstreams).toBe(true);
    expect(await apiError(await patch({ allowLinkLocalUpstreams: "yes" }))).toMatchObject({
      status: 400,
      details: { allowLinkLocalUpstreams: expect.any(String) },
    });
  });
});

describe("routing and explain input", () => {
  it("POST /api/v1/sites refuses a malformed route with 400 naming the route's field, and saves nothing", async () => {
    const body = {
      ...blog,
      routes: [
        { pathPrefix: "/api", respond: { status: 200 } },
        { pathPrefix: "no-slash", upstreams: "x" },
      ],
    };
    const error = await apiError(await call(sitesRoute.POST, "POST", "/api/v1/sites", { body }));
    expect(error).toMatchObject({
      status: 400,
      code: "validation_failed",
      details: { "routes.1.pathPrefix": expect.stringMatching(/Start the path with \//) },
    });
    expect(await (await call(sitesRoute.GET, "GET", "/api/v1/sites")).json()).toEqual([]);
  });

  it.each([
    [{}, "url"],
    [{ url: "shop.example.com/cart" }, "url"],
    [{ url: "ftp://shop.example.com/" }, "url"],
    [{ url: "https://shop.example.com/", clientIp: "10.0.0.300" }, "clientIp"],
    [{ url: "https://shop.example.com/", method: "GET /" }, "method"],
    [{ url: "https://shop.example.com/", headers: { "x-a": "1\r\nx-b: 2" } }, "headers.x-a"],
    [{ url: "https://shop.example.com/", extra: true }, "extra"],
  ])("POST /api/v1/explain refuses %j with 400 naming %s, before asking the proxy", async (body, field) => {
    const error = await apiError(await call(explainRoute.POST, "POST", "/api/v1/explain", { body }));
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(error.details)).toContain(field);
  });
});

describe("DNS providers", () => {
  const cloudflare = { name: "Cloudflare", type: "cloudflare", credentials: { apiToken: "secret-token-123" } };
  const list = async () => (await (await call(dnsProvidersRoute.GET, "GET", "/api/v1/dns-providers")).json()) as { name: string }[];

  it.each([
    ["not JSON", "{", "message", /not valid JSON/],
    ["an array", [], "_", /object/],
    ["no type", { name: "x" }, "type", /^Choose one of: rfc2136, cloudflare/],
    ["an unknown type", { name: "x", type: "gandi" }, "type", /^Choose one of/],
    ["credentials that are not an object", { ...cloudflare, credentials: "token" }, "credentials", /object/],
    ["an empty token", { ...cloudflare, credentials: { apiToken: " " } }, "credentials.apiToken", /token/i],
    ["an unknown field", { ...cloudflare, region: "eu" }, "region", /Unknown field/],
    [
      "a bad RFC 2136 server",
      { name: "x", type: "rfc2136", settings: { server: "ns1 example", tsigKeyName: "k" }, credentials: { tsigSecret: "c2VjcmV0" } },
      "settings.server",
      /hostname or address/,
    ],
    [
      "a non-base64 TSIG secret",
      { name: "x", type: "rfc2136", settings: { server: "127.0.0.1", tsigKeyName: "k" }, credentials: { tsigSecret: "not base64!" } },
      "credentials.tsigSecret",
      /base64/,
    ],
  ])("POST refuses %s with 400 naming the field, and saves nothing", async (_what, body, field, message) => {
    const error = await apiError(
      await call(dnsProvidersRoute.POST, "POST", "/api/v1/dns-providers", typeof body === "string" ? { rawBody: body } : { body }),
    );
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(field === "message" ? error.message : error.details[field]).toMatch(message);
    expect(await list()).toEqual([]);
  });

  it("never returns the credentials; a bad PATCH keeps what was saved; a provider in use answers DELETE with 409", async () => {
    const created = await call(dnsProvidersRoute.POST, "POST", "/api/v1/dns-providers", { body: cloudflare });
    expect(created.status).toBe(201);
    const saved = (await created.json()) as { id: string; hasCredentials: boolean };
    expect(saved.hasCredentials).toBe(true);
    const params = { id: saved.id };
    const read = await (await call(dnsProviderRoute.GET, "GET", `/api/v1/dns-providers/${saved.id}`, {}, params)).text();
    expect(read).not.toContain("secret-token-123");

    const patched = await apiError(
      await call(dnsProviderRoute.PATCH, "PATCH", `/api/v1/dns-providers/${saved.id}`, { body: { type: "hetzner" } }, params),
    );
    expect(patched).toMatchObject({ status: 400, details: { "credentials.apiToken": expect.any(String) } });
    expect(await list()).toMatchObject([{ name: "Cloudflare", type: "cloudflare" }]);

    const order = await call(certificatesRoute.POST, "POST", "/api/v1/certificates", {
      body: { type: "acme", domains: ["*.example.com"], email: "ops@example.com", challenge: "dns-01", dnsProviderId: saved.id },
    });
    expect(order.status).toBe(202);
    const refused = await apiError(await call(dnsProviderRoute.DELETE, "DELETE", `/api/v1/dns-providers/${saved.id}`, {}, params));
    expect(refused).toMatchObject({
      status: 409,
      code: "conflict",
      message: expect.stringMatching(/^This DNS provider is used by "\*\.example\.com"/),
    });
    expect(await list()).toHaveLength(1);
  });

  it("Test refuses a missing or wildcard domain, and an unknown provider, before touching DNS", async () => {
    const saved = (await (await call(dnsProvidersRoute.POST, "POST", "/api/v1/dns-providers", { body: cloudflare })).json()) as { id: string };
    const test = (id: string, options: Omit<RouteCall, "token">) =>
      call(dnsProviderTestRoute.POST, "POST", `/api/v1/dns-providers/${id}/test`, options, { id });
    expect(await apiError(await test(saved.id, {}))).toMatchObject({ status: 400, message: expect.stringMatching(/empty/) });
    expect(await apiError(await test(saved.id, { body: { domain: "*.example.com" } }))).toMatchObject({
      status: 400,
      details: { domain: "Enter a domain without *., e.g. example.com" },
    });
    expect(await apiError(await test("nope", { body: { domain: "example.com" } }))).toMatchObject({ status: 404 });
  });
});
