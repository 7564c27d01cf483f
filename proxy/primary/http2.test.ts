import { execFile } from "node:child_process";
import http2 from "node:http2";
import https from "node:https";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "@/lib/services/certificates";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";

/**
 * HTTP/2 to clients through the real proxy (primary -> workers): chosen by ALPN on the HTTPS port
 * beside HTTP/1.1, through the same pipeline (site headers, forwarding, bodies), and protected
 * against the rapid-reset flood.
 */
let product: ProxyOnDatabase;
let backend: Backend;
const certs = new TestCertificateFactory();
const HOST = "h2.test";

beforeAll(async () => {
  backend = await startBackend({ name: "h2-app" });
  product = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::" } });
  const material = certs.selfSigned([HOST], "rsa-2048");
  const { certificate } = await createCertificate({ type: "upload", certificatePem: material.certificatePem, privateKeyPem: material.privateKeyPem });
  await product.addSite({ name: "H2", hostnames: [HOST], upstreams: [{ url: backend.url }], certificateId: certificate.id, hsts: true });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await backend?.close();
  certs.cleanup();
});

function connect(address: string): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://${address.includes(":") ? `[${address}]` : address}:${product.proxy.httpsPort}`, {
      servername: HOST,
      rejectUnauthorized: false,
    });
    session.once("connect", () => resolve(session));
    session.once("error", reject);
  });
}

interface H2Answer {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

function send(session: http2.ClientHttp2Session, path: string, method = "GET", body?: string): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": method, ":path": path, ":authority": HOST }, { endStream: body === undefined });
    let headers: http2.IncomingHttpHeaders = {};
    let text = "";
    stream.on("response", (received) => (headers = received));
    stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    stream.on("end", () => resolve({ status: Number(headers[":status"]), headers, body: text }));
    stream.on("error", reject);
    if (body !== undefined) stream.end(body);
  });
}

describe.each(["127.0.0.1", "::1"])("HTTP/2 from %s", (address) => {
  it("is chosen by ALPN and forwards requests with the site's headers", async () => {
    const session = await connect(address);
    try {
      expect(session.alpnProtocol).toBe("h2");
      const answer = await send(session, "/hello?x=1");
      expect(answer.status).toBe(200);
      const echo = JSON.parse(answer.body) as EchoResponse;
      expect(echo.url).toBe("/hello?x=1");
      expect(echo.headers.host).toBe(HOST);
      expect(Object.keys(echo.headers).some((name) => name.startsWith(":"))).toBe(false);
      expect(answer.headers["strict-transport-security"]).toMatch(/^max-age=/);
      expect(answer.headers.server).toBeUndefined();
    } finally {
      session.close();
    }
  });

  it("forwards a body sent without Content-Length, and many streams on one connection at once", async () => {
    const session = await connect(address);
    try {
      const posted = await send(session, "/upload", "POST", "a=1&b=2");
      expect((JSON.parse(posted.body) as EchoResponse).body).toBe("a=1&b=2");
      const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => send(session, `/many/${index}`)));
      expect(answers.map((answer) => (JSON.parse(answer.body) as EchoResponse).url)).toEqual(answers.map((_, index) => `/many/${index}`));
    } finally {
      session.close();
    }
  });
});

it("serves curl --http2 over HTTP/2 and a client without h2 over HTTP/1.1 on the same port", async () => {
  const port = product.proxy.httpsPort;
  const { stdout } = await promisify(execFile)("curl", [
    "--http2",
    "-sk",
    "--resolve",
    `${HOST}:${port}:127.0.0.1`,
    "-o",
    "/dev/null",
    "-w",
    "%{http_version} %{http_code}",
    `https://${HOST}:${port}/curl`,
  ]);
  expect(stdout).toBe("2 200");
  const status = await new Promise<string>((resolve, reject) =>
    https
      .get({ host: "127.0.0.1", port, servername: HOST, headers: { host: HOST }, rejectUnauthorized: false, agent: false }, (response) => {
        response.resume();
        resolve(`${response.httpVersion} ${response.statusCode}`);
      })
      .on("error", reject),
  );
  expect(status).toBe("1.1 200");
});

it("cuts a rapid-reset flood (streams opened and cancelled at once) and keeps serving others", async () => {
  const session = await connect("127.0.0.1");
  const closed = new Promise<string>((resolve) => {
    session.once("goaway", (code: number) => resolve(`goaway ${code}`));
    session.once("close", () => resolve("closed"));
  });
  session.on("error", () => undefined);
  for (let opened = 0; opened < 5_000 && !session.closed && !session.destroyed; opened++) {
    const stream = session.request({ ":path": `/flood/${opened}`, ":authority": HOST });
    stream.on("error", () => undefined);
    stream.close(http2.constants.NGHTTP2_CANCEL);
    if (opened % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
  }
  // The proxy ends the connection with GOAWAY (Node's rate limit answers INTERNAL_ERROR); a
  // client that only cancelled what it opened would otherwise keep it for as long as it liked.
  expect(await closed).toBe(`goaway ${http2.constants.NGHTTP2_INTERNAL_ERROR}`);
  const fresh = await connect("127.0.0.1");
  try {
    expect((await send(fresh, "/after")).status).toBe(200);
  } finally {
    fresh.close();
  }
});

it.each(["127.0.0.1", "::1"])(
  "keeps serving when a client on %s drops its connection with streams still waiting for their answers",
  async (address) => {
    const before = backend.received();
    const session = await connect(address);
    session.on("error", () => undefined);
    for (let index = 0; index < 4; index++) session.request({ ":path": `/hang/${index}`, ":authority": HOST }).on("error", () => undefined);
    await expect.poll(() => backend.received() - before).toBe(4);
    // Gone without a word: the streams close after their connection has.
    session.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fresh = await connect(address);
    try {
      expect((await send(fresh, "/after-drop")).status).toBe(200);
    } finally {
      fresh.close();
    }
    expect(product.proxy.log()).not.toMatch(/uncaught exception/);
  },
);
