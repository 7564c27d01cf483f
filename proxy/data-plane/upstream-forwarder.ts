import type { ClientRequest, IncomingMessage, ServerResponse } from "node:http";
import { Readable, type Duplex } from "node:stream";
import { createProxyServer, type ProxyServer, type ServerOptions } from "http-proxy-3";
import type { Logger } from "pino";
import type { RuntimeSite, RuntimeUpstream } from "../runtime/runtime-types";
import type { UpstreamAgents } from "../upstream/agents";
import { sendErrorPage, writeRawErrorResponse } from "./error-pages";
import { clientAddress, prepareUpstreamRequestHeaders, type Scheme } from "./forwarded-headers";
import { HSTS_VALUE, prepareClientResponseHeaders, prepareClientUpgradeHeaders } from "./response-headers";

export interface UpstreamForwarderOptions {
  agents: UpstreamAgents;
  /** No upstream response (or no new response bytes) within this time: 504. */
  proxyTimeoutMs: number;
  logger: Logger;
  /** While draining, responses tell clients to close so that connections wind down. */
  isDraining: () => boolean;
}

/** What the proxy's event handlers need to know about one request to one upstream. */
interface Exchange {
  site: RuntimeSite;
  upstream: RuntimeUpstream;
  scheme: Scheme;
  timedOut: boolean;
  reusedSocket: boolean;
  upgraded: boolean;
  isRetry: boolean;
  /** The client's Transfer-Encoding, before http-proxy's deleteLength pass could drop it. */
  transferEncoding: string | undefined;
}

const RETRYABLE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

function isServerResponse(value: unknown): value is ServerResponse {
  return typeof value === "object" && value !== null && "writeHead" in value;
}

/**
 * Sends requests and websocket upgrades to a site's upstreams through one http-proxy instance,
 * and turns upstream failures into 502/504 pages instead of exceptions.
 */
export class UpstreamForwarder {
  private readonly proxy: ProxyServer;
  private readonly exchanges = new WeakMap<IncomingMessage, Exchange>();
  private readonly agents: UpstreamAgents;
  private readonly proxyTimeoutMs: number;
  private readonly logger: Logger;
  private readonly isDraining: () => boolean;

  constructor(options: UpstreamForwarderOptions) {
    this.agents = options.agents;
    this.proxyTimeoutMs = options.proxyTimeoutMs;
    this.logger = options.logger;
    this.isDraining = options.isDraining;

    this.proxy = createProxyServer({ xfwd: false, prependPath: true });
    // http-proxy's deleteLength pass replaces Transfer-Encoding with "Content-Length: 0" on a
    // DELETE/OPTIONS that has a chunked body; the body would then still be sent, and the
    // upstream would read it as a second request on a shared keep-alive connection.
    this.proxy.before("web", "stream", (req) => {
      const exchange = this.exchanges.get(req);
      if (exchange?.transferEncoding !== undefined) {
        delete req.headers["content-length"];
        req.headers["transfer-encoding"] = exchange.transferEncoding;
      }
      return undefined;
    });
    this.proxy.on("proxyReq", (proxyReq, req) => this.onProxyRequest(proxyReq, req));
    this.proxy.on("proxyRes", (proxyRes, req, res) => {
      const exchange = this.exchanges.get(req);
      prepareClientResponseHeaders(proxyRes.headers, {
        hsts: exchange !== undefined && exchange.scheme === "https" && exchange.site.hsts,
        keepAlive: res.shouldKeepAlive && !this.isDraining(),
      });
    });
    this.proxy.on("proxyReqWs", (proxyReq, req) => this.onProxyUpgradeRequest(proxyReq, req));
    // Only reached for errors http-proxy does not route to a callback (a client socket failing
    // mid-websocket). Without a listener, EventEmitter would throw and take the process down.
    this.proxy.on("error", (error, _req, res) => {
      this.logger.debug({ err: error }, "proxy connection error");
      if (isServerResponse(res)) sendErrorPage(res, 502);
      else res.destroy();
    });
  }

  web(req: IncomingMessage, res: ServerResponse, site: RuntimeSite, scheme: Scheme): void {
    const upstream = this.pick(req, site);
    prepareUpstreamRequestHeaders(req, scheme, false);
    this.forward(req, res, site, upstream, scheme, false);
  }

  ws(req: IncomingMessage, socket: Duplex, head: Buffer, site: RuntimeSite, scheme: Scheme): void {
    const upstream = this.pick(req, site);
    prepareUpstreamRequestHeaders(req, scheme, true);
    const exchange = this.newExchange(req, site, upstream, scheme, false);
    this.proxy.ws(req, socket, head, this.optionsFor(site, upstream, false), (error) => {
      this.logger.warn(
        { site: site.id, upstream: upstream.url.origin, code: errorCode(error), err: error.message },
        exchange.upgraded ? "websocket to upstream failed" : "websocket upgrade to upstream failed",
      );
      if (!exchange.upgraded) writeRawErrorResponse(socket, exchange.timedOut ? 504 : 502);
      else socket.destroy();
    });
  }

  private pick(req: IncomingMessage, site: RuntimeSite): RuntimeUpstream {
    return site.policy.pick(site.upstreams, { clientAddress: clientAddress(req.socket) });
  }

  private newExchange(req: IncomingMessage, site: RuntimeSite, upstream: RuntimeUpstream, scheme: Scheme, isRetry: boolean): Exchange {
    const transferEncoding = req.headers["transfer-encoding"];
    const exchange: Exchange = {
      site,
      upstream,
      scheme,
      timedOut: false,
      reusedSocket: false,
      upgraded: false,
      isRetry,
      transferEncoding,
    };
    this.exchanges.set(req, exchange);
    return exchange;
  }

  private forward(req: IncomingMessage, res: ServerResponse, site: RuntimeSite, upstream: RuntimeUpstream, scheme: Scheme, isRetry: boolean): void {
    const exchange = this.newExchange(req, site, upstream, scheme, isRetry);
    this.proxy.web(req, res, this.optionsFor(site, upstream, isRetry), (error) => this.onWebError(error, req, res, exchange));
  }

  private optionsFor(site: RuntimeSite, upstream: RuntimeUpstream, isRetry: boolean): ServerOptions {
    const https = upstream.url.protocol === "https:";
    return {
      target: upstream.url,
      agent: this.agents.forUpstream(upstream.url, site.verifyUpstreamTls),
      secure: site.verifyUpstreamTls,
      changeOrigin: !site.preserveHost,
      proxyTimeout: this.proxyTimeoutMs,
      // A fresh object each time: http-proxy builds the upstream request on top of it. The
      // server name is the upstream's own, so SNI and verification do not follow the client's
      // Host header when preserveHost is on.
      ssl: https ? { servername: upstream.tlsServername } : undefined,
      // A retry cannot re-read the client's (already consumed, empty) body stream.
      buffer: isRetry ? Readable.from([]) : undefined,
    };
  }

  private onProxyRequest(proxyReq: ClientRequest, req: IncomingMessage): void {
    const exchange = this.exchanges.get(req);
    if (exchange === undefined) return;
    exchange.reusedSocket = proxyReq.reusedSocket;
    // http-proxy destroys the request on proxyTimeout, which surfaces as a plain "socket hang
    // up"; remember that it was a timeout so the client gets 504, not 502.
    proxyReq.once("timeout", () => {
      exchange.timedOut = true;
    });
  }

  private onProxyUpgradeRequest(proxyReq: ClientRequest, req: IncomingMessage): void {
    const exchange = this.exchanges.get(req);
    if (exchange === undefined) return;
    // http-proxy sets no timeout on websocket handshakes; an upstream that accepts the TCP
    // connection and never answers would hold the client forever.
    proxyReq.setTimeout(this.proxyTimeoutMs, () => {
      exchange.timedOut = true;
      proxyReq.destroy();
    });
    proxyReq.once("upgrade", (proxyRes: IncomingMessage) => {
      exchange.upgraded = true;
      prepareClientUpgradeHeaders(proxyRes.headers);
    });
    proxyReq.once("response", (proxyRes: IncomingMessage) => {
      prepareClientResponseHeaders(proxyRes.headers, {
        hsts: exchange.scheme === "https" && exchange.site.hsts,
        keepAlive: false,
      });
    });
  }

  private canRetry(error: Error, req: IncomingMessage, res: ServerResponse, exchange: Exchange): boolean {
    const code = errorCode(error);
    const bodyless =
      exchange.transferEncoding === undefined &&
      (req.headers["content-length"] === undefined || req.headers["content-length"] === "0");
    // Only the classic keep-alive race: the upstream closed a pooled connection just as we
    // reused it. The request never reached the application, so sending it again is safe.
    return (
      !exchange.isRetry &&
      exchange.reusedSocket &&
      !exchange.timedOut &&
      (code === "ECONNRESET" || code === "EPIPE") &&
      RETRYABLE_METHODS.has(req.method ?? "") &&
      bodyless &&
      !res.headersSent &&
      !res.destroyed
    );
  }

  private onWebError(error: Error, req: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
    const { site, upstream } = exchange;
    if (this.canRetry(error, req, res, exchange)) {
      this.logger.debug({ site: site.id, upstream: upstream.url.origin }, "retrying on a fresh upstream connection");
      this.forward(req, res, site, upstream, exchange.scheme, true);
      return;
    }
    const status = exchange.timedOut ? 504 : 502;
    this.logger.warn(
      { site: site.id, upstream: upstream.url.origin, code: errorCode(error), err: error.message, status },
      "upstream request failed",
    );
    const headers: Record<string, string> =
      exchange.scheme === "https" && site.hsts ? { "strict-transport-security": HSTS_VALUE } : {};
    sendErrorPage(res, status, headers);
  }
}
