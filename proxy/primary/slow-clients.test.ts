import net from "node:net";
import tls from "node:tls";
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "@/lib/services/certificates";
import { startBackend, type Backend } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { request } from "@/test-support/http-client";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import type { ProxyProcess } from "@/test-support/proxy-process";

/**
 * Slow and silent clients against the real proxy (primary accepting, workers handed the
 * connections), with the client timeouts shortened through their settings: headers within 1 s,
 * bodies starting within 1 s and keeping 100 bytes/s.
 */
let product: ProxyOnDatabase;
let proxy: ProxyProcess;
let backend: Backend;
const certs = new TestCertificateFactory();

beforeAll(async () => {
  backend = await startBackend({ name: "patient" });
  product = await startProxyOnDatabase({
    workers: 2,
    env: { PROXY_HOST: "::", CLIENT_HEADER_TIMEOUT_MS: "1000", CLIENT_BODY_TIMEOUT_MS: "1000", CLIENT_BODY_MIN_RATE: "100" },
  });
  proxy = product.proxy;
  const material = certs.selfSigned(["slow.test"], "rsa-2048");
  const { certificate } = await createCertificate({ type: "upload", certificatePem: material.certificatePem, privateKeyPem: material.privateKeyPem });
  await product.addSite({ name: "Slow", hostnames: ["slow.test"], upstreams: [{ url: backend.url }], certificateId: certificate.id });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await backend?.close();
  certs.cleanup();
});

interface Outcome {
  /** Everything the proxy sent until it closed the connection. */
  answer: string;
  /** From the first byte written (or the connection) to the close. */
  ms: number;
}

/** Opens a plain or TLS connection, lets `talk` write to it, and waits for the proxy to close it. */
function converse(options: { host?: string; tls?: boolean }, talk: (socket: Duplex) => undefined | (() => void)): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const host = options.host ?? "127.0.0.1";
    const socket: Duplex = options.tls
      ? tls.connect({ host, port: proxy.httpsPort, servername: "slow.test", rejectUnauthorized: false })
      : net.connect(proxy.httpPort, host);
    let started = 0;
    let stop: undefined | (() => void);
    let answer = "";
    socket.once(options.tls ? "secureConnect" : "connect", () => {
      started = Date.now();
      stop = talk(socket);
    });
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (typeof stop === "function") stop();
      if (started === 0) reject(new Error("never connected"));
      else resolve({ answer, ms: Date.now() - started });
    });
  });
}

/** Writes the chunks one by one, `gapMs` apart, until the connection closes. */
function trickle(chunks: string[], gapMs: number): (socket: Duplex) => () => void {
  return (socket) => {
    let next = 0;
    const timer = setInterval(() => {
      if (next < chunks.length && !socket.destroyed) socket.write(chunks[next++]!);
    }, gapMs);
    return () => clearInterval(timer);
  };
}

const statusOf = (answer: string) => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? "(no answer)";

describe("slow clients on the production accept path", () => {
  it.each([
    ["plain HTTP over IPv4", { host: "127.0.0.1" }],
    ["plain HTTP over IPv6", { host: "::1" }],
    ["HTTPS, after the handshake", { tls: true }],
  ])("cuts a client that stops in the middle of its headers with 408 (%s)", async (_name, options) => {
    const outcome = await converse(options, (socket) => void socket.write("GET / HTTP/1.1\r\nHost: slow.test\r\nX-Half: "));
    expect(statusOf(outcome.answer)).toBe("408");
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it.each([
    ["plain HTTP", { host: "127.0.0.1" }],
    ["HTTPS, after the handshake", { tls: true }],
  ])("cuts a client that sends nothing at all with 408 (%s)", async (_name, options) => {
    const outcome = await converse(options, () => undefined);
    expect(statusOf(outcome.answer)).toBe("408");
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it("cuts a client that trickles its headers, a few bytes at a time, with 408", async () => {
    const header = "GET / HTTP/1.1\r\nHost: slow.test\r\nX-Trickle: " + "a".repeat(200);
    const outcome = await converse({}, trickle(header.match(/.{1,4}/gs)!, 150));
    expect(statusOf(outcome.answer)).toBe("408");
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it("cuts a client whose body never comes with 408", async () => {
    const outcome = await converse({}, (socket) => void socket.write("POST /upload HTTP/1.1\r\nHost: slow.test\r\nContent-Length: 100\r\n\r\n"));
    expect(statusOf(outcome.answer)).toBe("408");
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it("cuts a client that trickles its body below the minimum rate with 408", async () => {
    const head = "POST /upload HTTP/1.1\r\nHost: slow.test\r\nContent-Length: 1000\r\n\r\n";
    const outcome = await converse({ tls: true }, trickle([head, ...Array.from({ length: 999 }, () => "x")], 300));
    expect(statusOf(outcome.answer)).toBe("408");
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it("lets a slow but steady upload through (above the minimum rate)", async () => {
    const body = "y".repeat(1_200);
    const head = `POST /upload HTTP/1.1\r\nHost: slow.test\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    // 150 bytes every 200 ms: 750 bytes/s, for 1.6 s.
    const outcome = await converse({}, trickle([head, ...body.match(/.{1,150}/g)!], 200));
    expect(statusOf(outcome.answer)).toBe("200");
    expect(outcome.answer).toContain(`"body":"${body}"`);
  });

  it("never benches an upstream for clients whose bodies stall: other visitors keep getting answers", async () => {
    // The only upstream; three clients hold requests with bodies that never come.
    const stalled = await Promise.all(
      [1, 2, 3].map(() => converse({}, (socket) => void socket.write("PUT /stall HTTP/1.1\r\nHost: slow.test\r\nContent-Length: 100\r\n\r\n"))),
    );
    expect(stalled.map((outcome) => statusOf(outcome.answer))).toEqual(["408", "408", "408"]);
    for (let i = 0; i < 5; i++) {
      const answer = await request({ port: proxy.httpPort, host: "slow.test", path: `/after-${i}` });
      expect(answer.status).toBe(200);
    }
    expect(proxy.log()).not.toMatch(/benched/);
  });
});
