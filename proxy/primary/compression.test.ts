import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "@/lib/services/certificates";
import { trafficSeries } from "@/lib/services/traffic";
import { eventually } from "@/test-support/proxy-process";
import { TestCertificateFactory } from "@/test-support/certs";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";

/**
 * Compression of answers through the real proxy (primary and two workers) on a real database,
 * with a real upstream on loopback, over IPv4 and IPv6, HTTP/1.1 and HTTP/2.
 */
const PAGE = Buffer.from(`<!doctype html><title>Catalogue</title>${"<li>Blue widget, 12 EUR, in stock</li>\n".repeat(2600)}`);
const SMALL = Buffer.from("<p>short</p>");
const PNG = Buffer.alloc(50_000, 7);

/** path -> status, headers and body of the upstream's answer. */
const ANSWERS: Record<string, { status?: number; headers: OutgoingHttpHeaders; body: Buffer }> = {
  "/page.html": { headers: { "content-type": "text/html; charset=utf-8", etag: '"v1"', "accept-ranges": "bytes" }, body: PAGE },
  "/small.html": { headers: { "content-type": "text/html" }, body: SMALL },
  "/logo.png": { headers: { "content-type": "image/png" }, body: PNG },
  "/untyped": { headers: {}, body: PAGE },
  "/pre-coded": { headers: { "content-type": "text/html", "content-encoding": "gzip" }, body: zlib.gzipSync(PAGE) },
  "/no-transform": { headers: { "content-type": "text/html", "cache-control": "public, no-transform" }, body: PAGE },
  "/varies": { headers: { "content-type": "application/json", vary: "Cookie" }, body: PAGE },
  "/not-modified": { status: 304, headers: { "content-type": "text/html", etag: '"v1"' }, body: Buffer.alloc(0) },
  "/part": { status: 206, headers: { "content-type": "text/html", "content-range": `bytes 0-99/${PAGE.length}` }, body: PAGE.subarray(0, 100) },
  "/chunked.json": { headers: { "content-type": "application/vnd.api+json" }, body: PAGE },
};

let gateway: ProxyOnDatabase;
let upstream: http.Server;
let upstreamUrl: string;
let savingsSiteId: string;
/** The event stream's next event: the test lets it go once the client has read the previous one. */
let releaseEvent: (() => void) | null = null;
const certs = new TestCertificateFactory();

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    if (req.url === "/events") return streamEvents(res);
    const answer = ANSWERS[req.url ?? ""];
    if (answer === undefined) return res.writeHead(404).end();
    const chunked = req.url === "/chunked.json";
    res.writeHead(answer.status ?? 200, chunked ? answer.headers : { ...answer.headers, "content-length": answer.body.length });
    res.end(req.method === "HEAD" ? undefined : answer.body);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::", TRAFFIC_FLUSH_MS: "200", TRAFFIC_WRITE_MS: "200" } });
  const material = certs.selfSigned(["shop.test"]);
  const { certificate } = await createCertificate({ type: "upload", certificatePem: material.certificatePem, privateKeyPem: material.privateKeyPem });
  const common = { upstreams: [{ url: upstreamUrl }], healthCheck: { enabled: false } };
  await gateway.addSite({ name: "shop", hostnames: ["shop.test"], certificateId: certificate.id, ...common });
  await gateway.addSite({
    name: "gzip only",
    hostnames: ["gzip.test"],
    compression: { enabled: true, algorithms: ["gzip"], minBytes: 0 },
    ...common,
  });
  await gateway.addSite({ name: "plain", hostnames: ["plain.test"], compression: { enabled: false }, ...common });
  savingsSiteId = (await gateway.addSite({ name: "savings", hostnames: ["savings.test"], ...common })).id;
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  certs.cleanup();
});

function streamEvents(res: http.ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let sent = 0;
  const next = () => {
    res.write(`data: event ${++sent} ${"x".repeat(2000)}\n\n`);
    if (sent === 3) res.end();
    else releaseEvent = next;
  };
  next();
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they came over the wire. */
  raw: Buffer;
}

function get(host: string, path: string, headers: OutgoingHttpHeaders = {}, options: { method?: string; address?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: options.address ?? "127.0.0.1",
      port: gateway.proxy.httpPort,
      path,
      method: options.method ?? "GET",
      headers: { host, ...headers },
      agent: false,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function decode(coding: string | undefined, body: Buffer): Buffer {
  if (coding === "br") return zlib.brotliDecompressSync(body);
  if (coding === "gzip") return zlib.gunzipSync(body);
  if (coding === undefined) return body;
  throw new Error(`unexpected coding ${coding}`);
}

const BROWSER = { "accept-encoding": "gzip, deflate, br" };

describe.each(["127.0.0.1", "::1"])("compression from %s", (address) => {
  it("compresses a page with the coding the client rates highest, and it decodes to the upstream's bytes", async () => {
    for (const [acceptEncoding, expected] of [
      ["gzip, deflate, br", "br"],
      ["br;q=0.5, gzip", "gzip"],
      ["*", "br"],
    ] as const) {
      const answer = await get("shop.test", "/page.html", { "accept-encoding": acceptEncoding }, { address });
      expect(answer.status).toBe(200);
      expect(answer.headers["content-encoding"]).toBe(expected);
      expect(answer.headers.vary).toBe("Accept-Encoding");
      expect(answer.headers["content-length"]).toBeUndefined();
      expect(answer.headers["accept-ranges"]).toBeUndefined();
      expect(answer.headers.etag).toBe('W/"v1"');
      expect(answer.raw.length).toBeLessThan(PAGE.length / 10);
      expect(decode(expected, answer.raw).equals(PAGE)).toBe(true);
    }
  });

  it("sends the page as it is, with Vary, to a client that accepts no coding it offers", async () => {
    for (const headers of [{}, { "accept-encoding": "identity" }, { "accept-encoding": "br;q=0, gzip;q=0" }, { "accept-encoding": "compress" }]) {
      const answer = await get("shop.test", "/page.html", headers, { address });
      expect(answer.headers["content-encoding"]).toBeUndefined();
      expect(answer.headers.vary).toBe("Accept-Encoding");
      expect(answer.headers["content-length"]).toBe(String(PAGE.length));
      expect(answer.headers.etag).toBe('"v1"');
      expect(answer.raw.equals(PAGE)).toBe(true);
    }
  });
});

describe("what is never compressed", () => {
  it.each([
    ["a body below the site's minimum", "/small.html", SMALL],
    ["an image", "/logo.png", PNG],
    ["a body of no stated type", "/untyped", PAGE],
    ["an answer marked no-transform", "/no-transform", PAGE],
  ])("%s goes as it is", async (_what, path, body) => {
    const answer = await get("shop.test", path, BROWSER);
    expect(answer.headers["content-encoding"]).toBeUndefined();
    expect(answer.raw.equals(body)).toBe(true);
  });

  it("an answer the upstream coded already is passed on once, not coded twice", async () => {
    const answer = await get("shop.test", "/pre-coded", BROWSER);
    expect(answer.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(answer.raw).equals(PAGE)).toBe(true);
  });

  it("a 304 goes as it is: no body to code, its validator untouched", async () => {
    const answer = await get("shop.test", "/not-modified", { ...BROWSER, "if-none-match": '"v1"' });
    expect(answer.status).toBe(304);
    expect(answer.headers["content-encoding"]).toBeUndefined();
    expect(answer.headers.etag).toBe('"v1"');
    expect(answer.raw.length).toBe(0);
  });

  it("a partial answer (206) goes as it is", async () => {
    const answer = await get("shop.test", "/part", { ...BROWSER, range: "bytes=0-99" });
    expect(answer.status).toBe(206);
    expect(answer.headers["content-encoding"]).toBeUndefined();
    expect(answer.raw.equals(PAGE.subarray(0, 100))).toBe(true);
  });

  it("a site with compression off sends everything as it is, without Vary", async () => {
    const answer = await get("plain.test", "/page.html", BROWSER);
    expect(answer.headers["content-encoding"]).toBeUndefined();
    expect(answer.headers.vary).toBeUndefined();
    expect(answer.raw.equals(PAGE)).toBe(true);
  });
});

describe("site settings and headers", () => {
  it("offers only the site's algorithms, from the site's smallest size", async () => {
    const page = await get("gzip.test", "/page.html", BROWSER);
    expect(page.headers["content-encoding"]).toBe("gzip");
    const small = await get("gzip.test", "/small.html", BROWSER);
    expect(small.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(small.raw).equals(SMALL)).toBe(true);
    const brOnly = await get("gzip.test", "/page.html", { "accept-encoding": "br" });
    expect(brOnly.headers["content-encoding"]).toBeUndefined();
  });

  it("adds Accept-Encoding to the upstream's own Vary", async () => {
    const answer = await get("shop.test", "/varies", BROWSER);
    expect(answer.headers["content-encoding"]).toBe("br");
    expect(answer.headers.vary).toBe("Cookie, Accept-Encoding");
  });

  it("compresses a body of unknown length (chunked) and a +json type", async () => {
    const answer = await get("shop.test", "/chunked.json", BROWSER);
    expect(answer.headers["content-encoding"]).toBe("br");
    expect(decode("br", answer.raw).equals(PAGE)).toBe(true);
  });

  it("answers HEAD with the headers a GET gets, and no body", async () => {
    const answer = await get("shop.test", "/page.html", BROWSER, { method: "HEAD" });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-encoding"]).toBe("br");
    expect(answer.headers.vary).toBe("Accept-Encoding");
    expect(answer.headers["content-length"]).toBeUndefined();
    expect(answer.raw.length).toBe(0);
  });
});

it("streams server-sent events: each event reaches the client, decodable, before the next is sent", async () => {
  const events: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = http.request({
      port: gateway.proxy.httpPort,
      host: "127.0.0.1",
      path: "/events",
      headers: { host: "shop.test", ...BROWSER },
      agent: false,
    });
    req.on("response", (res) => {
      expect(res.headers["content-encoding"]).toBe("br");
      const decoder = zlib.createBrotliDecompress();
      res.pipe(decoder);
      decoder.on("data", (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n")) if (line.startsWith("data: ")) events.push(line.slice(6, 13));
        // The upstream sends the next event only now: without a flush per event this would wait forever.
        const release = releaseEvent;
        releaseEvent = null;
        release?.();
      });
      decoder.on("end", resolve);
      decoder.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
  expect(events).toEqual(["event 1", "event 2", "event 3"]);
});

it("compresses over HTTP/2 as over HTTP/1.1", async () => {
  const session = http2.connect(`https://127.0.0.1:${gateway.proxy.httpsPort}`, { servername: "shop.test", rejectUnauthorized: false });
  try {
    const { headers, body } = await new Promise<{ headers: http2.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const stream = session.request({ ":path": "/page.html", ":authority": "shop.test", "accept-encoding": "gzip" });
      const chunks: Buffer[] = [];
      let head: http2.IncomingHttpHeaders = {};
      stream.on("response", (h) => (head = h));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => resolve({ headers: head, body: Buffer.concat(chunks) }));
      stream.on("error", reject);
    });
    expect(headers[":status"]).toBe(200);
    expect(headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(body).equals(PAGE)).toBe(true);
  } finally {
    session.close();
  }
});

it("counts the bytes compression kept off the wire on the Traffic page's series", async () => {
  let expected = 0;
  for (const acceptEncoding of ["br", "gzip", "identity"]) {
    const answer = await get("savings.test", "/page.html", { "accept-encoding": acceptEncoding });
    if (answer.headers["content-encoding"] !== undefined) expected += PAGE.length - answer.raw.length;
  }
  expect(expected).toBeGreaterThan(PAGE.length);
  const saved = async () => {
    const now = Date.now();
    const points = await trafficSeries({ siteId: savingsSiteId, from: new Date(now - 3_600_000), to: new Date(now + 60_000), stepSeconds: 60 });
    return points.reduce((sum, point) => sum + point.bytesSavedCompression, 0);
  };
  await eventually(saved, (total) => total === expected, { log: gateway.proxy.log });
});
