import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import type { ProxyProcess } from "@/test-support/proxy-process";

/**
 * What reaches the upstream is what the client sent, byte for byte, or nothing: the access log,
 * the exploit rules and the application must never see different paths. Through the real proxy,
 * with raw requests from IPv4 and IPv6 clients.
 */
let product: ProxyOnDatabase;
let proxy: ProxyProcess;
let backend: Backend;

beforeAll(async () => {
  backend = await startBackend({ name: "exact" });
  product = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::" } });
  proxy = product.proxy;
  await product.addSite({
    name: "Targets",
    hostnames: ["targets.test"],
    upstreams: [{ url: backend.url }],
    // No health checks: the backend's request count is then the proxied requests alone.
    healthCheck: { enabled: false },
  });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await backend?.close();
});

/** Node's client sends the path exactly as given (it refuses only controls and spaces). */
function send(
  host: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; echo: EchoResponse | null }> {
  return new Promise((resolve, reject) => {
    http
      .request({ host, port: proxy.httpPort, method, path, headers: { host: "targets.test", ...headers }, agent: false }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, echo: response.statusCode === 200 ? (JSON.parse(text) as EchoResponse) : null }),
        );
      })
      .on("error", reject)
      .end();
  });
}

describe.each(["127.0.0.1", "::1"])("request targets from %s", (host) => {
  it.each([
    ["/a/%2e/b", "/a/%2e/b"],
    ["//x/y", "//x/y"],
    ["/caf%C3%A9/%2F?q=a%20b&x=%zz&", "/caf%C3%A9/%2F?q=a%20b&x=%zz&"],
    ["/p;m=1/./q?next=/a/../b", "/p;m=1/./q?next=/a/../b"],
    ["http://targets.test/abs/%2e?x=1", "/abs/%2e?x=1"],
  ])("forwards %s as %s", async (target, forwarded) => {
    const answer = await send(host, "GET", target);
    expect(answer.status).toBe(200);
    expect(answer.echo?.url).toBe(forwarded);
  });

  it.each(["/\\x/y", "/a\\b", "/\\<x", "/\\x:99999/y", "/../etc/passwd", "/a/%2E%2e/b", "/a%zz", "http://elsewhere.test/x"])(
    "refuses %s with 400 and never forwards it",
    async (target) => {
      const before = backend.received();
      const answer = await send(host, "GET", target);
      expect(answer.status).toBe(400);
      expect(backend.received()).toBe(before);
    },
  );

  it("refuses TRACE with 405 and never forwards it", async () => {
    const before = backend.received();
    expect((await send(host, "TRACE", "/", { cookie: "session=secret" })).status).toBe(405);
    expect(backend.received()).toBe(before);
  });

  it("drops headers whose names have underscores, which some frameworks read as the real ones", async () => {
    const answer = await send(host, "GET", "/h", {
      X_Forwarded_For: "6.6.6.6",
      Transfer_Encoding: "chunked",
      X_Real_IP: "6.6.6.6",
      "X-Kept": "yes",
    });
    expect(answer.status).toBe(200);
    const headers = answer.echo!.headers;
    expect(Object.keys(headers).filter((name) => name.includes("_"))).toEqual([]);
    expect(headers["x-forwarded-for"]).toBe(host);
    expect(headers["x-real-ip"]).toBe(host);
    expect(headers["x-kept"]).toBe("yes");
  });
});
