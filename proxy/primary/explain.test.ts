import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessList } from "@/lib/services/access-lists";
import { explainRequest } from "@/lib/services/explain";
import { updateAppSettings } from "@/lib/services/settings";
import { NO_ANSWER } from "@/lib/schemas/explain";
import { eventually } from "@/test-support/proxy-process";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { request } from "@/test-support/http-client";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";

/**
 * "Explain a request" through the real proxy (the primary asks a worker), for each case compared
 * with what the proxy then really does with the same request: the same answer, and for a request
 * it forwards, the same upstream and target.
 */
let product: ProxyOnDatabase;
let app: Backend;
let api: Backend;
let port: number;

beforeAll(async () => {
  [app, api] = await Promise.all([startBackend({ name: "app" }), startBackend({ name: "api" })]);
  product = await startProxyOnDatabase({ workers: 2 });
  port = product.proxy.httpPort;
  const office = await createAccessList({ name: "Office", allow: ["127.0.0.7"], deny: [], basicAuth: [], satisfy: "any" });
  await product.addSite({
    name: "Shop",
    hostnames: ["shop.test"],
    upstreams: [{ url: `${app.url}/base` }],
    blockExploits: true,
    healthCheck: { enabled: false },
  });
  await product.addSite({
    name: "Intranet",
    hostnames: ["intranet.test"],
    upstreams: [{ url: app.url }],
    accessListId: office.id,
    blockExploits: false,
    healthCheck: { enabled: false },
  });
  await product.addSite({
    name: "Routed",
    hostnames: ["routed.test"],
    upstreams: [{ url: app.url }],
    blockExploits: false,
    healthCheck: { enabled: false },
    routes: [
      { pathPrefix: "/api", stripPrefix: true, addPrefix: "/v2", upstreams: [{ url: api.url }] },
      { pathPrefix: "/old", redirect: { to: "https://new.example.com/", status: 308 } },
      { pathPrefix: "/robots.txt", respond: { status: 200, body: "User-agent: *\n" } },
    ],
  });
  await product.addSite({ name: "Moved", hostnames: ["moved.test"], upstreams: [], redirect: { to: "https://moved.example.com", status: 301 } });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await Promise.all([app?.close(), api?.close()]);
});

/** The explanation, and what a real request from that address got. */
async function both(host: string, path: string, clientIp = "127.0.0.1", headers: Record<string, string> = {}) {
  const explanation = await explainRequest({ url: `http://${host}:${port}${path}`, clientIp, headers });
  const real = await request({ port, host, path, headers, localAddress: clientIp });
  return { explanation, real };
}

describe("explain a request", () => {
  it("a request the site forwards: which site, which upstream, which target, and the upstream really gets that", async () => {
    const { explanation, real } = await both("shop.test", "/cart?item=7");
    expect(explanation).toMatchObject({
      site: { name: "Shop" },
      route: null,
      upstreamUrl: `${app.url}/base`,
      upstreamPath: "/base/cart?item=7",
      upstreamHealth: "available",
      protections: [{ name: "block-exploits", decision: "lets it through" }],
      answer: { status: null },
    });
    expect(real.status).toBe(200);
    expect((JSON.parse(real.body) as EchoResponse).url).toBe(explanation.upstreamPath);
  });

  it("an unknown hostname: no site, and the 404 the proxy really answers", async () => {
    const { explanation, real } = await both("nobody.test", "/");
    expect(explanation).toMatchObject({ site: null, upstreamUrl: null, answer: { status: 404 } });
    expect(real.status).toBe(404);
  });

  it("an exploit probe: the rule that refuses it, and the real 403", async () => {
    const { explanation, real } = await both("shop.test", "/search?q=%27%20OR%20%271%27%3D%271");
    expect(explanation.protections).toEqual([{ name: "block-exploits", decision: expect.stringMatching(/^refuses it \(403\)/) }]);
    expect(explanation.answer).toEqual({ status: 403 });
    expect(real.status).toBe(403);
  });

  it("an access list: a stranger refused, an allowed address let through, as really happens", async () => {
    const stranger = await both("intranet.test", "/", "127.0.0.9");
    expect(stranger.explanation).toMatchObject({
      protections: [{ name: "access-list", decision: expect.stringMatching(/refuses/) }],
      answer: { status: 403 },
    });
    expect(stranger.real.status).toBe(403);

    const allowed = await both("intranet.test", "/", "127.0.0.7");
    expect(allowed.explanation).toMatchObject({
      protections: [{ name: "access-list", decision: "lets it through" }],
      answer: { status: null },
      upstreamUrl: app.url,
    });
    expect(allowed.real.status).toBe(200);
  });

  it("a route that strips and adds a prefix: the route, its upstream and the rewritten target, as the upstream really gets it", async () => {
    const { explanation, real } = await both("routed.test", "/api/users?page=2");
    expect(explanation).toMatchObject({
      site: { name: "Routed" },
      route: { pathPrefix: "/api" },
      upstreamUrl: api.url,
      upstreamPath: "/v2/users?page=2",
      answer: { status: null },
    });
    expect(JSON.parse(real.body) as EchoResponse).toMatchObject({ backend: "api", url: "/v2/users?page=2" });
  });

  it.each([
    ["routed.test", "/old/page?x=1", 308, "https://new.example.com/old/page?x=1"],
    ["moved.test", "/a/b?c=d", 301, "https://moved.example.com/a/b?c=d"],
  ])("a redirect on %s%s: the status and Location the proxy really sends", async (host, path, status, location) => {
    const { explanation, real } = await both(host, path);
    expect(explanation.answer).toEqual({ status, location });
    expect([real.status, real.headers.location]).toEqual([status, location]);
  });

  it("a fixed answer: the route and the status the proxy really answers with, and nothing upstream", async () => {
    const { explanation, real } = await both("routed.test", "/robots.txt");
    expect(explanation).toMatchObject({ route: { pathPrefix: "/robots.txt" }, upstreamUrl: null, answer: { status: 200 } });
    expect([real.status, real.body]).toEqual([200, "User-agent: *\n"]);
    // A path beside the route's goes to the site's own upstream.
    expect((await both("routed.test", "/robots.txt.bak")).explanation).toMatchObject({ route: null, upstreamUrl: app.url });
  });

  it("maintenance: the owner's address let through, anyone else told to come back, as really happens", async () => {
    const office = await createAccessList({ name: "Owner", allow: ["127.0.0.5"], deny: [], basicAuth: [], satisfy: "any" });
    await product.addSite({
      name: "Closed",
      hostnames: ["closed.test"],
      upstreams: [{ url: app.url }],
      accessListId: office.id,
      blockExploits: false,
      healthCheck: { enabled: false },
      maintenance: { enabled: true, message: "Back at noon" },
    });
    const visitor = await both("closed.test", "/", "127.0.0.1");
    expect(visitor.explanation).toMatchObject({ upstreamUrl: null, answer: { status: 503 } });
    expect([visitor.real.status, visitor.real.body]).toEqual([503, expect.stringContaining("Back at noon")]);
    const owner = await both("closed.test", "/", "127.0.0.5");
    expect(owner.explanation).toMatchObject({ upstreamUrl: app.url, answer: { status: null } });
    expect(owner.real.status).toBe(200);
  });

  it("an unknown hostname the settings say to drop: no answer, and really none", async () => {
    await updateAppSettings({ unknownHost: { action: "drop" } });
    try {
      await eventually(
        () => explainRequest({ url: `http://nobody.test:${port}/` }),
        (explanation) => explanation.answer.status === NO_ANSWER,
      );
      await expect(request({ port, host: "nobody.test", path: "/" })).rejects.toThrow(/socket hang up|ECONNRESET/);
    } finally {
      await updateAppSettings({ unknownHost: { action: "not_found" } });
    }
  });

  it("a visitor from the internet when no address is given, and a clear error for a malformed request", async () => {
    const explanation = await explainRequest({ url: `http://intranet.test:${port}/` });
    expect(explanation.answer).toEqual({ status: 403 });
    await expect(explainRequest({ url: "not a url", clientIp: "300.1.1.1" })).rejects.toMatchObject({
      code: "validation_failed",
      details: { url: expect.stringMatching(/full address/), clientIp: expect.stringMatching(/IPv4 or IPv6/) },
    });
  });
});
