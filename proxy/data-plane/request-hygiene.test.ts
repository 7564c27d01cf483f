import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type Backend } from "@/test-support/backend";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { rawExchange } from "@/test-support/http-client";
import { testSite, testSnapshot } from "@/test-support/snapshots";

/**
 * Request smuggling and malformed requests, sent byte for byte. Each must be refused by the
 * proxy itself (Node's strict HTTP parser, whose options the data plane must never loosen), so
 * that nothing ambiguous reaches an upstream sharing keep-alive connections with other clients.
 */
describe("request hygiene", () => {
  let backend: Backend;
  let proxy: RunningDataPlane;

  beforeAll(async () => {
    backend = await startBackend({ name: "app" });
    proxy = await startDataPlane({ timeouts: { headersTimeoutMs: 400 } });
    proxy.plane.apply(testSnapshot(1, [testSite({ id: "app", hostnames: ["app.test"], upstreams: [backend.url] })]));
  });
  afterAll(async () => {
    await proxy?.close();
    await backend?.close();
  });

  const statusOf = (raw: string) => raw.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? "(no answer)";

  it.each([
    [
      "Content-Length and Transfer-Encoding together (CL.TE)",
      "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
    ],
    [
      "Transfer-Encoding and Content-Length together (TE.CL)",
      "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
    ],
    ["an obfuscated Transfer-Encoding (xchunked)", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"],
    ["a space before the colon", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"],
    ["chunked not last", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"],
    ["a tab-folded header line", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding:\r\n\tchunked\r\n\r\n0\r\n\r\n"],
    ["two different Content-Lengths", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"],
    ["a chunk size that is not hex", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"],
    ["a chunk without its CRLF", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX0\r\n\r\n"],
    ["a bare LF line ending inside the headers", "GET / HTTP/1.1\r\nHost: app.test\nX-Other: 1\r\n\r\n"],
    ["no Host header", "GET / HTTP/1.1\r\nUser-Agent: probe\r\n\r\n"],
    ["two Host headers", "GET / HTTP/1.1\r\nHost: app.test\r\nHost: other.test\r\n\r\n"],
  ])("refuses %s with 400 and never forwards it", async (_name, payload) => {
    const before = backend.received();
    const raw = await rawExchange(proxy.httpPort, payload);
    expect(statusOf(raw)).toBe("400");
    expect(backend.received()).toBe(before);
  });

  it("refuses oversize headers with 431", async () => {
    const raw = await rawExchange(proxy.httpPort, `GET / HTTP/1.1\r\nHost: app.test\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(statusOf(raw)).toBe("431");
  });

  it.each([["app.test@evil.test"], ["[::1"], ["app.test/../x"], ["app.test:80x"], ["bad host"]])(
    "refuses a Host that is not a hostname (%s) with 400",
    async (host) => {
      const raw = await rawExchange(proxy.httpPort, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(statusOf(raw)).toBe("400");
    },
  );

  it("answers a Host that names no site with 404", async () => {
    const raw = await rawExchange(proxy.httpPort, "GET / HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n");
    expect(statusOf(raw)).toBe("404");
  });

  it("closes a slow-loris connection that sends headers a byte at a time", async () => {
    const { default: net } = await import("node:net");
    const socket = net.connect(proxy.httpPort, "127.0.0.1");
    const started = Date.now();
    const timer = setInterval(() => socket.write("X"), 100);
    socket.write("GET / HTTP/1.1\r\nHost: app.test\r\nX-Slow: ");
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
    });
    clearInterval(timer);
    expect(statusOf(answer)).toBe("408");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("still serves a well-formed chunked request after all that", async () => {
    const raw = await rawExchange(
      proxy.httpPort,
      "POST /ok HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    );
    expect(statusOf(raw)).toBe("200");
    expect(raw).toContain('"body":"hello"');
  });
});
