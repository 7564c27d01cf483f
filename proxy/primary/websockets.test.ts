import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "@/lib/services/certificates";
import { startBackend, unusedPort, type Backend } from "@/test-support/backend";
import { websocketEcho } from "@/test-support/http-client";
import { TestCertificateFactory } from "@/test-support/certs";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";

/**
 * Websockets through the real proxy (primary and workers), over HTTP and over HTTPS on the port
 * that also offers HTTP/2. The proxy's own answers to websocket upgrades (refusals, an unreachable upstream) carry the
 * site's response headers like every other answer: HSTS over HTTPS, the security headers always.
 * Through the real proxy (primary and workers), over HTTP and HTTPS, from IPv4 and IPv6.
 */
let product: ProxyOnDatabase;
let backend: Backend;
const certs = new TestCertificateFactory();

beforeAll(async () => {
  product = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::" } });
  backend = await startBackend({ name: "ws-app" });
  const material = certs.selfSigned(["nows.test", "down.test", "limited.test", "chat.test"]);
  const { certificate } = await createCertificate({ type: "upload", certificatePem: material.certificatePem, privateKeyPem: material.privateKeyPem });
  const closedPort = await unusedPort();
  const common = {
    upstreams: [{ url: `http://127.0.0.1:${closedPort}` }],
    certificateId: certificate.id,
    hsts: true,
    healthCheck: { enabled: false },
  };
  await product.addSite({ ...common, name: "No websockets", hostnames: ["nows.test"], websockets: false });
  await product.addSite({ ...common, name: "Upstream down", hostnames: ["down.test"], websockets: true });
  await product.addSite({ ...common, upstreams: [{ url: backend.url }], name: "Chat", hostnames: ["chat.test"], websockets: true });
  await product.addSite({ ...common, name: "Limited", hostnames: ["limited.test"], websockets: true, rateLimit: { requestsPerSecond: 1, burst: 1 } });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await backend?.close();
  certs.cleanup();
});

it("echoes websocket messages over HTTP and HTTPS, many sockets at once", async () => {
  const echoes = await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      websocketEcho({
        port: index % 2 === 0 ? product.proxy.httpPort : product.proxy.httpsPort,
        secure: index % 2 === 1,
        host: "chat.test",
        message: `m${index}`,
      }),
    ),
  );
  expect(echoes).toEqual(Array.from({ length: 20 }, (_, index) => `ws-app:m${index}`));
  expect(backend.upgrades.filter((upgrade) => upgrade.headers["x-forwarded-proto"] === "https")).toHaveLength(10);
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
}

/** A websocket handshake written by hand; answers the status line and headers the proxy sent. */
function upgrade(scheme: "http" | "https", address: string, host: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const port = scheme === "http" ? product.proxy.httpPort : product.proxy.httpsPort;
    const request =
      `GET /socket HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    const socket =
      scheme === "http"
        ? net.connect(port, address, () => socket.write(request))
        : tls.connect({ host: address, port, servername: host, rejectUnauthorized: false }, () => socket.write(request));
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
      );
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers });
    });
  });
}

describe.each([
  ["http", "127.0.0.1"],
  ["https", "::1"],
] as const)("refused upgrades over %s from %s", (scheme, address) => {
  function expectSiteHeaders(answer: RawAnswer): void {
    expect(answer.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    if (scheme === "https") expect(answer.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
    else expect(answer.headers["strict-transport-security"]).toBeUndefined();
  }

  it("a site without websockets answers 400 with its headers", async () => {
    const answer = await upgrade(scheme, address, "nows.test");
    expect(answer.status).toBe(400);
    expectSiteHeaders(answer);
  });

  it("an unreachable upstream gives 502 with the site's headers", async () => {
    const answer = await upgrade(scheme, address, "down.test");
    expect(answer.status).toBe(502);
    expectSiteHeaders(answer);
  });

  it("a rate-limited upgrade gets 429 with the site's headers", async () => {
    const answers: RawAnswer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await upgrade(scheme, address, "limited.test"));
    const limited = answers.find((answer) => answer.status === 429);
    expect(limited).toBeDefined();
    expect(limited!.headers["retry-after"]).toBeDefined();
    expectSiteHeaders(limited!);
  });
});
