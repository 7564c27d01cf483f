import { setTimeout } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, startResettingServer, startStaleKeepAliveServer, unusedPort, type Backend, type EchoResponse } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { rawExchange, request } from "@/test-support/http-client";
import { testCertificate, testSite, testSnapshot } from "@/test-support/snapshots";

let certs: TestCertificateFactory;
let backend: Backend;
let resetting: { url: string; close(): Promise<void> };
let stale: Awaited<ReturnType<typeof startStaleKeepAliveServer>>;
/** Its own, so that no earlier test's broken connections are in its pool. */
let stalePost: Awaited<ReturnType<typeof startStaleKeepAliveServer>>;
let proxy: RunningDataPlane;

const echo = (body: string) => JSON.parse(body) as EchoResponse;

beforeAll(async () => {
  certs = new TestCertificateFactory();
  backend = await startBackend({ name: "backend-a" });
  resetting = await startResettingServer();
  stale = await startStaleKeepAliveServer();
  stalePost = await startStaleKeepAliveServer();
  const downPort = await unusedPort();
  proxy = await startDataPlane({
    fallbackCertificate: certs.selfSigned(["fallback.invalid"]),
    timeouts: { proxyTimeoutMs: 300 },
  });
  const secureCert = certs.selfSigned(["secure.test"]);
  const result = proxy.plane.apply(
    testSnapshot(
      1,
      [
        testSite({ id: "app", hostnames: ["app.test", "*.app.test"], upstreams: [backend.url] }),
        testSite({ id: "origin", hostnames: ["origin.test"], upstreams: [backend.url], preserveHost: false }),
        testSite({ id: "prefixed", hostnames: ["prefix.test"], upstreams: [`${backend.url}/base`] }),
        testSite({ id: "secure", hostnames: ["secure.test"], upstreams: [backend.url], certificateId: "c1", forceHttps: true, hsts: true }),
        testSite({ id: "down", hostnames: ["down.test"], upstreams: [`http://127.0.0.1:${downPort}`] }),
        testSite({ id: "reset", hostnames: ["reset.test"], upstreams: [resetting.url] }),
        testSite({ id: "stale", hostnames: ["stale.test"], upstreams: [stale.url] }),
        testSite({ id: "stale-post", hostnames: ["stale-post.test"], upstreams: [stalePost.url] }),
      ],
      [testCertificate("c1", secureCert)],
    ),
  );
  expect(result).toEqual({ ok: true, revision: 1, siteErrors: {} });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.close();
  await resetting?.close();
  await stale?.close();
  await stalePost?.close();
  certs?.cleanup();
});

describe("HTTP proxying", () => {
  it("forwards a request to the upstream and returns its answer", async () => {
    const res = await request({ port: proxy.httpPort, host: "app.test", path: "/hello?x=1" });
    expect(res.status).toBe(200);
    expect(echo(res.body)).toMatchObject({ backend: "backend-a", method: "GET", url: "/hello?x=1" });
  });

  it("routes wildcard hostnames and any Host header port or case", async () => {
    const res = await request({ port: proxy.httpPort, host: "Deep.APP.test:8080" });
    expect(res.status).toBe(200);
    expect(echo(res.body).headers.host).toBe("Deep.APP.test:8080");
  });

  it("forwards request bodies", async () => {
    const res = await request({ port: proxy.httpPort, host: "app.test", method: "POST", path: "/form", body: "a=1&b=2" });
    expect(echo(res.body)).toMatchObject({ method: "POST", body: "a=1&b=2" });
  });

  it("replaces spoofed X-Forwarded-* and X-Real-IP values with the real connection's", async () => {
    const res = await request({
      port: proxy.httpPort,
      host: "app.test",
      headers: {
        "x-forwarded-for": "6.6.6.6",
        "x-real-ip": "6.6.6.6",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "evil.test",
        "x-forwarded-port": "1",
        forwarded: "for=6.6.6.6",
      },
    });
    const { headers } = echo(res.body);
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(headers["x-real-ip"]).toBe("127.0.0.1");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers["x-forwarded-host"]).toBe("app.test");
    expect(headers["x-forwarded-port"]).toBe(String(proxy.httpPort));
    expect(headers.forwarded).toBeUndefined();
  });

  it("does not forward hop-by-hop request headers, nor headers named in Connection", async () => {
    const res = await request({
      port: proxy.httpPort,
      host: "app.test",
      headers: {
        connection: "keep-alive, x-drop-me",
        "x-drop-me": "secret",
        "keep-alive": "timeout=300",
        "proxy-connection": "keep-alive",
        "proxy-authorization": "Basic c2VjcmV0",
        te: "trailers",
        "x-end-to-end": "kept",
      },
    });
    const { headers } = echo(res.body);
    for (const name of ["x-drop-me", "keep-alive", "proxy-connection", "proxy-authorization", "te", "upgrade", "trailer"]) {
      expect(headers[name], name).toBeUndefined();
    }
    // What is left is our own connection to the upstream: kept alive by the agent.
    expect(headers.connection).toBe("keep-alive");
    expect(headers["x-end-to-end"]).toBe("kept");
  });

  it("strips hop-by-hop response headers and hides the upstream's Server and X-Powered-By", async () => {
    const res = await request({ port: proxy.httpPort, host: "app.test", path: "/hop-headers" });
    expect(res.status).toBe(200);
    for (const name of ["x-hop-secret", "keep-alive", "proxy-authenticate", "trailer", "upgrade", "server", "x-powered-by"]) {
      expect(res.headers[name], name).toBeUndefined();
    }
    expect(res.headers["x-end-to-end"]).toBe("kept");
  });

  it("sends the client's Host upstream with preserveHost, the upstream's own without", async () => {
    const preserved = echo((await request({ port: proxy.httpPort, host: "app.test" })).body);
    expect(preserved.headers.host).toBe("app.test");
    const rewritten = echo((await request({ port: proxy.httpPort, host: "origin.test" })).body);
    expect(rewritten.headers.host).toBe(`127.0.0.1:${backend.port}`);
    expect(rewritten.headers["x-forwarded-host"]).toBe("origin.test");
  });

  it("forwards under the upstream's path prefix, without escaping it", async () => {
    const res = await request({ port: proxy.httpPort, host: "prefix.test", path: "/x/y?z=1" });
    expect(echo(res.body).url).toBe("/base/x/y?z=1");
    const root = await request({ port: proxy.httpPort, host: "prefix.test", path: "/" });
    expect(echo(root.body).url).toBe("/base/");
    for (const path of ["/../admin", "/x/%2e%2E/%2E./admin", "/x/..?y"]) {
      const before = backend.received();
      const escaping = await request({ port: proxy.httpPort, host: "prefix.test", path });
      expect(escaping.status, path).toBe(400);
      expect(backend.received(), path).toBe(before);
    }
  });

  it("keeps a chunked DELETE body framed (no request smuggling through the shared upstream connection)", async () => {
    const smuggled = "GET /smuggled HTTP/1.1\r\nHost: app.test\r\n\r\n";
    const chunk = `${smuggled.length.toString(16)}\r\n${smuggled}\r\n0\r\n\r\n`;
    const raw = await rawExchange(
      proxy.httpPort,
      `DELETE /item HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    const body = raw.slice(raw.indexOf("{"), raw.lastIndexOf("}") + 1);
    expect(echo(body)).toMatchObject({ method: "DELETE", url: "/item", body: smuggled });
  });

  it("handles Expect: 100-continue itself and forwards the body", async () => {
    const raw = await rawExchange(
      proxy.httpPort,
      "POST /upload HTTP/1.1\r\nHost: app.test\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    );
    expect(raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
    const seen = echo(raw.slice(raw.indexOf("{"), raw.lastIndexOf("}") + 1));
    expect(seen).toMatchObject({ method: "POST", body: "hello" });
    expect(seen.headers.expect).toBeUndefined();
  });

  it("answers an Upgrade that is not a websocket (h2c) as a plain request", async () => {
    const raw = await rawExchange(
      proxy.httpPort,
      "GET /h2c HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n",
    );
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    const seen = echo(raw.slice(raw.indexOf("{"), raw.lastIndexOf("}") + 1));
    expect(seen.url).toBe("/h2c");
    expect(seen.headers.upgrade).toBeUndefined();
    expect(seen.headers["http2-settings"]).toBeUndefined();
  });
});

describe("errors", () => {
  it("answers an unknown host with a plain 404 that reveals nothing", async () => {
    const res = await request({ port: proxy.httpPort, host: "nobody.test" });
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers.server).toBeUndefined();
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.body).toContain("404");
    for (const secret of ["127.0.0.1", String(backend.port), "backend", "node", "gatekeeper", "http-proxy", "error:"]) {
      expect(res.body.toLowerCase(), secret).not.toContain(secret.toLowerCase());
    }
    expect(res.body).not.toMatch(/at .*:\d+:\d+/); // no stack frames
  });

  it("answers HEAD for an unknown host without a body", async () => {
    const res = await request({ port: proxy.httpPort, host: "nobody.test", method: "HEAD" });
    expect(res.status).toBe(404);
    expect(res.body).toBe("");
  });

  it("answers 502 when the upstream refuses connections, and keeps serving", async () => {
    const res = await request({ port: proxy.httpPort, host: "down.test" });
    expect(res.status).toBe(502);
    expect(res.body).toContain("502");
    expect(res.body).not.toContain("127.0.0.1");
    expect((await request({ port: proxy.httpPort, host: "app.test" })).status).toBe(200);
  });

  it("answers 502 when the upstream resets the connection", async () => {
    const res = await request({ port: proxy.httpPort, host: "reset.test" });
    expect(res.status).toBe(502);
  });

  it("retries a bodyless GET once when a reused upstream connection turns out to be closed", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await request({ port: proxy.httpPort, host: "stale.test" });
      expect(res.status, `request ${i}`).toBe(200);
      expect(res.body).toBe("ok");
    }
    // Each retry had to open a fresh connection.
    expect(stale.connections()).toBe(3);
  });

  it("never retries a request with a body (it may have reached the application)", async () => {
    await request({ port: proxy.httpPort, host: "stale-post.test" }); // leaves a pooled connection
    await setTimeout(100); // for it to be idle in the pool, not still finishing its answer
    const res = await request({ port: proxy.httpPort, host: "stale-post.test", method: "POST", body: "pay=1" });
    expect(stalePost.connections()).toBe(1);
    expect(res.status).toBe(502);
  });

  it("answers 504 when the upstream is too slow", async () => {
    const started = Date.now();
    const res = await request({ port: proxy.httpPort, host: "app.test", path: "/hang" });
    expect(res.status).toBe(504);
    expect(res.body).toContain("504");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ["garbage", "GARBAGE\r\n\r\n", /^HTTP\/1\.1 400/],
    ["no Host header", "GET / HTTP/1.1\r\n\r\n", /^HTTP\/1\.1 400/],
    ["oversized headers", `GET / HTTP/1.1\r\nHost: app.test\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, /^HTTP\/1\.1 431/],
    [
      "conflicting framing",
      "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      /^HTTP\/1\.1 400/,
    ],
  ])("answers a hostile request (%s) with an error and closes, without crashing", async (_name, payload, expected) => {
    expect(await rawExchange(proxy.httpPort, payload)).toMatch(expected);
    expect((await request({ port: proxy.httpPort, host: "app.test" })).status).toBe(200);
  });
});

describe("HTTPS behaviour", () => {
  it("redirects plain HTTP to HTTPS on forceHttps sites, keeping path and query", async () => {
    const res = await request({ port: proxy.httpPort, host: "secure.test", path: "/a/b?c=1" });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`https://secure.test:${proxy.httpsPort}/a/b?c=1`);
    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });

  it("redirects a POST with 308 so that the method and body survive", async () => {
    const res = await request({ port: proxy.httpPort, host: "secure.test", method: "POST", path: "/form", body: "x=1" });
    expect(res.status).toBe(308);
  });

  it("serves forceHttps sites over HTTPS with the HSTS header", async () => {
    const res = await request({ port: proxy.httpsPort, host: "secure.test", path: "/s", tls: {} });
    expect(res.status).toBe(200);
    expect(res.headers["strict-transport-security"]).toBe("max-age=31536000");
    expect(echo(res.body).headers["x-forwarded-proto"]).toBe("https");
  });

  it("sends no HSTS for sites without it", async () => {
    const res = await request({ port: proxy.httpsPort, host: "app.test", tls: { servername: "app.test" } });
    expect(res.status).toBe(200);
    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });
});

describe("slow clients", () => {
  let strict: RunningDataPlane;
  beforeAll(async () => {
    strict = await startDataPlane({ timeouts: { headersTimeoutMs: 300 } });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it("answers 408 and closes a connection whose headers never finish", async () => {
    const started = Date.now();
    const raw = await rawExchange(strict.httpPort, "GET / HTTP/1.1\r\nHost: app.test\r\nX-Slow: ");
    expect(raw).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("answers 404 before any snapshot is applied", async () => {
    expect((await request({ port: strict.httpPort, host: "app.test" })).status).toBe(404);
  });
});
