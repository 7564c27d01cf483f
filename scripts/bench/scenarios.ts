import tls from "node:tls";
import type { Outcome } from "./load-result";
import { commandExists, runH2load, runWebsocketLoad, runWrk, type LoadShape } from "./load-tools";
import type { Target } from "./targets";
import { PAGE_PATH } from "./backend";
import { CACHED_HOSTNAME } from "./certificate";
import { PRODUCT } from "./report";

export interface Scenario {
  title: string;
  /** What perSecond counts. */
  unit: "req/s" | "msg/s";
  run(target: Target, shape: LoadShape): Promise<Outcome>;
}

const NO_TLS = { skipped: "no TLS (plain HTTP backend)" };
const hasH2load = commandExists("h2load");

/** The compression scenarios' titles: the report compares the product's three. */
export const PAGE_PLAIN = "100 KB HTML page, not compressed";
export const PAGE_GZIP = "100 KB HTML page, gzip (peers: gzip on)";
export const PAGE_BROTLI = "100 KB HTML page, Brotli";

/** The cache scenario's title: the report compares it with HTTP keep-alive, the same answer proxied. */
export const PROXIED = "HTTP keep-alive";
export const CACHE_HIT = "HTTP keep-alive, cache hits (product: cache on)";

const pageUrl = (target: Target) => new URL(PAGE_PATH, target.httpUrl).toString();

export const SCENARIOS: Scenario[] = [
  { title: PROXIED, unit: "req/s", run: (target, shape) => runWrk(target.httpUrl, shape) },
  {
    title: CACHE_HIT,
    unit: "req/s",
    // The peers as configured here proxy every request; only the product's second site caches.
    run: async (target, shape) =>
      target.name === PRODUCT ? runWrk(target.httpUrl, shape, { headers: [`Host: ${CACHED_HOSTNAME}`] }) : { skipped: "no cache configured" },
  },
  {
    title: "HTTPS keep-alive",
    unit: "req/s",
    run: async (target, shape) => (target.httpsUrl ? runWrk(target.httpsUrl, shape) : NO_TLS),
  },
  {
    title: "HTTP new connections (Connection: close)",
    unit: "req/s",
    run: (target, shape) => runWrk(target.httpUrl, shape, { close: true }),
  },
  {
    title: "HTTPS new connections (Connection: close)",
    unit: "req/s",
    run: async (target, shape) => (target.httpsUrl ? runWrk(target.httpsUrl, shape, { close: true }) : NO_TLS),
  },
  {
    title: "HTTP/2 (h2load, 1 stream per connection)",
    unit: "req/s",
    run: async (target, shape) => {
      if (!hasH2load) return { skipped: "h2load not installed (apt install nghttp2-client)" };
      if (!target.httpsUrl) return NO_TLS;
      // Only what the server offers by ALPN counts: h2load would fall back to HTTP/1.1 silently.
      const protocol = await negotiatedProtocol(target.httpsUrl);
      if (protocol !== "h2") return { skipped: `no HTTP/2 (ALPN: ${protocol || "none"})` };
      return runH2load(target.httpsUrl, shape);
    },
  },
  { title: "websocket echo round trips", unit: "msg/s", run: (target, shape) => runWebsocketLoad(target.websocketUrl, shape) },
  { title: PAGE_PLAIN, unit: "req/s", run: (target, shape) => runWrk(pageUrl(target), shape) },
  { title: PAGE_GZIP, unit: "req/s", run: (target, shape) => runWrk(pageUrl(target), shape, { headers: ["Accept-Encoding: gzip"] }) },
  {
    title: PAGE_BROTLI,
    unit: "req/s",
    // Only the product codes Brotli among the peers as Debian ships them: another's would be a plain page.
    run: async (target, shape) =>
      target.name === PRODUCT ? runWrk(pageUrl(target), shape, { headers: ["Accept-Encoding: br"] }) : { skipped: "no Brotli" },
  },
];

/** The protocol the server picks by ALPN when offered h2 and http/1.1. */
function negotiatedProtocol(httpsUrl: string): Promise<string | false> {
  const url = new URL(httpsUrl);
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: url.hostname, port: Number(url.port), servername: url.hostname, ALPNProtocols: ["h2", "http/1.1"], rejectUnauthorized: false },
      () => {
        resolve(socket.alpnProtocol ?? false);
        socket.destroy();
      },
    );
    socket.once("error", reject);
  });
}
