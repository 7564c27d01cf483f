import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { eventually } from "@/test-support/proxy-process";

/**
 * The shared cache through the real proxy (primary and two workers) on a real database, with a
 * real upstream on loopback that counts the requests it gets: RFC 9111's rules, one by one.
 */
interface Served {
  status?: number;
  headers: OutgoingHttpHeaders;
  body: string;
}

/** path -> what the upstream answers (a function: a fresh Date each time). */
const ANSWERS = new Map<string, (req: http.IncomingMessage) => Served>();
/** path -> requests the upstream got, with their headers. */
const SEEN = new Map<string, IncomingHttpHeaders[]>();

let gateway: ProxyOnDatabase;
let upstream: http.Server;
let upstreamUrl: string;
/** One keep-alive connection: the same worker each time, as a browser revisiting would mostly be. */
const sameConnection = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const path = req.url ?? "";
    SEEN.set(path, [...(SEEN.get(path) ?? []), req.headers]);
    const make = ANSWERS.get(path);
    if (make === undefined) return res.writeHead(404).end();
    const served = make(req);
    res.writeHead(served.status ?? 200, { "content-type": "text/plain", date: new Date().toUTCString(), ...served.headers });
    res.end(req.method === "HEAD" || served.status === 304 ? undefined : served.body);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::" } });
  const common = { upstreams: [{ url: upstreamUrl }], healthCheck: { enabled: false } };
  await gateway.addSite({ name: "cached", hostnames: ["cached.test"], cache: { enabled: true }, ...common });
  await gateway.addSite({ name: "default ttl", hostnames: ["ttl.test"], cache: { enabled: true, defaultTtlSeconds: 60 }, ...common });
  await gateway.addSite({ name: "quiet", hostnames: ["quiet.test"], cache: { enabled: true, cacheHeader: false }, ...common });
  await gateway.addSite({ name: "uncached", hostnames: ["uncached.test"], ...common });
}, 60_000);

afterAll(async () => {
  sameConnection.destroy();
  await gateway?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

interface Got {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(
  path: string,
  headers: OutgoingHttpHeaders = {},
  options: { host?: string; method?: string; agent?: http.Agent; address?: string } = {},
): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.address ?? "127.0.0.1",
        port: gateway.proxy.httpPort,
        path,
        method: options.method ?? "GET",
        agent: options.agent ?? sameConnection,
        headers: { host: options.host ?? "cached.test", ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

let paths = 0;
/** A path of its own for each case, answered as given. */
function answering(make: (req: http.IncomingMessage) => Served): string {
  const path = `/case-${++paths}`;
  ANSWERS.set(path, make);
  return path;
}
const seen = (path: string) => SEEN.get(path)?.length ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("what a shared cache keeps (RFC 9111 §3)", () => {
  const kept: [string, OutgoingHttpHeaders][] = [
    ["max-age", { "cache-control": "max-age=60" }],
    ["s-maxage over max-age=0", { "cache-control": "s-maxage=60, max-age=0" }],
    ["Expires in the future", { expires: new Date(Date.now() + 60_000).toUTCString() }],
    ["public", { "cache-control": "public, max-age=60" }],
  ];
  it.each(kept)("keeps an answer with %s: the second request is a HIT the upstream never sees", async (_, headers) => {
    const path = answering(() => ({ headers, body: `body of ${_}` }));
    const first = await get(path);
    expect(first.headers["x-cache"]).toBe("MISS");
    const second = await get(path);
    expect(second.status).toBe(200);
    expect(second.headers["x-cache"]).toBe("HIT");
    expect(second.body.toString()).toBe(`body of ${_}`);
    expect(Number(second.headers.age)).toBeGreaterThanOrEqual(0);
    expect(seen(path)).toBe(1);
  });

  const refused: [string, OutgoingHttpHeaders][] = [
    ["no-store", { "cache-control": "no-store, max-age=60" }],
    ["private", { "cache-control": "private, max-age=60" }],
    ["Set-Cookie", { "cache-control": "max-age=60", "set-cookie": "session=1" }],
    ["Vary: *", { "cache-control": "max-age=60", vary: "*" }],
    ["no freshness and no validator", {}],
    ["an Expires that cannot be read", { expires: "soon" }],
  ];
  it.each(refused)("never keeps an answer with %s: each request reaches the upstream", async (_, headers) => {
    const path = answering(() => ({ headers, body: "not kept" }));
    await get(path);
    const second = await get(path);
    expect(second.headers["x-cache"]).toBe("MISS");
    expect(second.body.toString()).toBe("not kept");
    expect(seen(path)).toBe(2);
  });

  it("keeps an answer that says nothing for the site's default freshness", async () => {
    const path = answering(() => ({ headers: {}, body: "default" }));
    await get(path, {}, { host: "ttl.test" });
    expect((await get(path, {}, { host: "ttl.test" })).headers["x-cache"]).toBe("HIT");
    expect(seen(path)).toBe(1);
  });

  it("shares an answer to a request with credentials only when the answer says it may (§3.5)", async () => {
    const personal = answering(() => ({ headers: { "cache-control": "max-age=60" }, body: "yours" }));
    await get(personal, { authorization: "Bearer a" });
    await get(personal, { authorization: "Bearer a" });
    expect(seen(personal)).toBe(2);
    const shared = answering(() => ({ headers: { "cache-control": "public, max-age=60" }, body: "everyone's" }));
    await get(shared, { authorization: "Bearer a" });
    expect((await get(shared, { authorization: "Bearer b" })).headers["x-cache"]).toBe("HIT");
    expect(seen(shared)).toBe(1);
  });

  it("passes POST, byte ranges and no-store requests through, and never on a site without a cache", async () => {
    const path = answering(() => ({ headers: { "cache-control": "max-age=60" }, body: "0123456789" }));
    await get(path, {}, { method: "POST" });
    await get(path, { range: "bytes=0-3" });
    await get(path, { "cache-control": "no-store" });
    expect(seen(path)).toBe(3);
    const plain = answering(() => ({ headers: { "cache-control": "max-age=60" }, body: "plain" }));
    await get(plain, {}, { host: "uncached.test" });
    const again = await get(plain, {}, { host: "uncached.test" });
    expect(again.headers["x-cache"]).toBeUndefined();
    expect(seen(plain)).toBe(2);
  });
});

describe("serving what is kept", () => {
  it("answers HEAD from the stored GET, with its length and no body", async () => {
    const path = answering(() => ({ headers: { "cache-control": "max-age=60" }, body: "twelve bytes" }));
    await get(path);
    const head = await get(path, {}, { method: "HEAD" });
    expect(head.headers["x-cache"]).toBe("HIT");
    expect(head.headers["content-length"]).toBe("12");
    expect(head.body.length).toBe(0);
    expect(seen(path)).toBe(1);
  });

  it("answers a client's conditional request with 304 from the store, by ETag and by date", async () => {
    const modified = new Date(Date.now() - 3_600_000).toUTCString();
    const path = answering(() => ({ headers: { "cache-control": "max-age=60", etag: '"v7"', "last-modified": modified }, body: "page" }));
    await get(path);
    const byTag = await get(path, { "if-none-match": '"v1", "v7"' });
    expect(byTag.status).toBe(304);
    expect(byTag.body.length).toBe(0);
    expect(byTag.headers.etag).toBe('"v7"');
    expect((await get(path, { "if-modified-since": new Date().toUTCString() })).status).toBe(304);
    expect((await get(path, { "if-none-match": '"v2"' })).status).toBe(200);
    expect(seen(path)).toBe(1);
  });

  it("keeps an answer fetched for a client that got a 304 to its own conditional request", async () => {
    const path = answering(() => ({ headers: { "cache-control": "max-age=60", etag: '"c1"' }, body: "whole body" }));
    const conditional = await get(path, { "if-none-match": '"c1"' });
    expect(conditional.status).toBe(304);
    expect(conditional.headers["x-cache"]).toBe("MISS");
    // The upstream was asked for the whole answer, not the client's 304.
    expect(SEEN.get(path)![0]!["if-none-match"]).toBeUndefined();
    const whole = await get(path);
    expect(whole.headers["x-cache"]).toBe("HIT");
    expect(whole.body.toString()).toBe("whole body");
    expect(seen(path)).toBe(1);
  });

  it("compresses a stored answer for each client as a live one, and keeps the coded copy", async () => {
    const text = "compressible line of text\n".repeat(400);
    const path = answering(() => ({ headers: { "cache-control": "max-age=60", "content-type": "text/html" }, body: text }));
    await get(path);
    for (const coding of ["br", "br", "gzip"]) {
      const coded = await get(path, { "accept-encoding": coding });
      expect(coded.headers["x-cache"]).toBe("HIT");
      expect(coded.headers["content-encoding"]).toBe(coding);
      expect(coded.headers.vary).toMatch(/accept-encoding/i);
      const decoded = coding === "br" ? zlib.brotliDecompressSync(coded.body) : zlib.gunzipSync(coded.body);
      expect(decoded.toString()).toBe(text);
    }
    expect((await get(path)).body.toString()).toBe(text);
    expect(seen(path)).toBe(1);
  });

  it("keeps one answer per variant of the headers its Vary names", async () => {
    const path = answering((req) => ({
      headers: { "cache-control": "max-age=60", vary: "Accept-Language" },
      body: `in ${req.headers["accept-language"]}`,
    }));
    expect((await get(path, { "accept-language": "en" })).body.toString()).toBe("in en");
    expect((await get(path, { "accept-language": "de" })).body.toString()).toBe("in de");
    const english = await get(path, { "accept-language": "en" });
    expect(english.headers["x-cache"]).toBe("HIT");
    expect(english.body.toString()).toBe("in en");
    expect((await get(path, { "accept-language": "de" })).body.toString()).toBe("in de");
    expect(seen(path)).toBe(2);
  });

  it("serves a client over IPv6 what a client over IPv4 left in the store", async () => {
    const path = answering(() => ({ headers: { "cache-control": "max-age=60" }, body: "either family" }));
    await get(path);
    const overIpv6 = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Its own connection may reach the other worker: that one finds the answer once its file is written.
    const hit = await eventually(
      () => get(path, {}, { address: "::1", agent: overIpv6 }),
      (answer) => answer.headers["x-cache"] === "HIT",
      { log: gateway.proxy.log },
    );
    overIpv6.destroy();
    expect(hit.body.toString()).toBe("either family");
    expect(seen(path)).toBe(1);
  });

  it("leaves X-Cache out where the site says so, and still says Age", async () => {
    const path = answering(() => ({ headers: { "cache-control": "max-age=60" }, body: "quiet" }));
    await get(path, {}, { host: "quiet.test" });
    const hit = await get(path, {}, { host: "quiet.test" });
    expect(hit.headers["x-cache"]).toBeUndefined();
    expect(hit.headers.age).toBeDefined();
    expect(seen(path)).toBe(1);
  });
});

describe("stale answers (RFC 9111 §4.3, RFC 5861)", () => {
  it("revalidates with If-None-Match, and a 304 freshens what is kept", async () => {
    const path = answering((req) =>
      req.headers["if-none-match"] === '"v1"'
        ? { status: 304, headers: { "cache-control": "max-age=60", etag: '"v1"' }, body: "" }
        : { headers: { "cache-control": "no-cache", etag: '"v1"' }, body: "validated" },
    );
    await get(path);
    const second = await get(path);
    expect(second.status).toBe(200);
    expect(second.body.toString()).toBe("validated");
    expect(second.headers["x-cache"]).toBe("HIT");
    expect(SEEN.get(path)![1]!["if-none-match"]).toBe('"v1"');
    // The 304 said max-age=60: now fresh without asking.
    expect((await get(path)).headers["x-cache"]).toBe("HIT");
    expect(seen(path)).toBe(2);
  });

  it("revalidates with If-Modified-Since when there is only a date, and takes a new answer whole", async () => {
    const modified = new Date(Date.now() - 3_600_000).toUTCString();
    let version = 1;
    const path = answering(() => ({ headers: { "cache-control": "max-age=0", "last-modified": modified }, body: `version ${version}` }));
    await get(path);
    version = 2;
    const second = await get(path);
    expect(SEEN.get(path)![1]!["if-modified-since"]).toBe(modified);
    expect(second.body.toString()).toBe("version 2");
    expect(second.headers["x-cache"]).toBe("MISS");
  });

  it("asks the upstream when the request says no-cache, and never answers only-if-cached from nothing", async () => {
    const path = answering(() => ({ headers: { "cache-control": "max-age=60", etag: '"a"' }, body: "fresh" }));
    await get(path);
    await get(path, { "cache-control": "no-cache" });
    expect(seen(path)).toBe(2);
    const nothing = answering(() => ({ headers: { "cache-control": "max-age=60" }, body: "never fetched" }));
    expect((await get(nothing, { "cache-control": "only-if-cached" })).status).toBe(504);
    expect(seen(nothing)).toBe(0);
  });

  it("serves a stale answer at once within stale-while-revalidate, and refreshes it behind", async () => {
    let version = 1;
    // The refreshed answer stays fresh for a minute: a slow machine cannot make it stale before it is checked.
    const path = answering(() => ({
      headers: { "cache-control": `max-age=${version === 1 ? 1 : 60}, stale-while-revalidate=60` },
      body: `version ${version}`,
    }));
    await get(path);
    version = 2;
    await sleep(2_100);
    const stale = await get(path);
    expect(stale.headers["x-cache"]).toBe("STALE");
    expect(stale.body.toString()).toBe("version 1");
    // Until the refresh behind is kept, the stale answer is served without a second refresh.
    const refreshed = await eventually(
      () => get(path),
      (answer) => answer.body.toString() === "version 2",
      { log: gateway.proxy.log },
    );
    expect(refreshed.headers["x-cache"]).toBe("HIT");
    expect(seen(path)).toBe(2);
  });

  it("stands in for an upstream that fails within stale-if-error, and not after must-revalidate", async () => {
    let failing = false;
    const path = answering(() =>
      failing ? { status: 503, headers: {}, body: "down" } : { headers: { "cache-control": "max-age=1, stale-if-error=60" }, body: "last good" },
    );
    const strict = answering(() =>
      failing
        ? { status: 503, headers: {}, body: "down" }
        : { headers: { "cache-control": "max-age=1, must-revalidate, stale-if-error=60" }, body: "last good" },
    );
    await get(path);
    await get(strict);
    failing = true;
    await sleep(2_100);
    const stale = await get(path);
    expect(stale.status).toBe(200);
    expect(stale.headers["x-cache"]).toBe("STALE");
    expect(stale.body.toString()).toBe("last good");
    expect((await get(strict)).status).toBe(503);
  });
});
