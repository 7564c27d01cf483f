import type { ClientRequest, IncomingMessage, ServerResponse } from "node:http";
import { Readable, type Duplex } from "node:stream";
import { createProxyServer, type ProxyServer, type ServerOptions } from "http-proxy-3";
import type { Logger } from "pino";
import type { RuntimeSite, RuntimeUpstream } from "../runtime/runtime-types";
import type { UpstreamAgents } from "../upstream/agents";
import type { UpstreamPool } from "../upstream/upstream-pool";
import { TrafficCounter } from "../traffic/traffic-counter";
import { sendErrorPage, writeRawErrorResponse } from "./error-pages";
import { requestClientIp } from "./client-ip";
import { prepareUpstreamRequestHeaders, type Scheme } from "./forwarded-headers";
import { applyHeaderEdits, NO_EDITS, type HeaderEdits } from "../security/header-plan";
import { prepareClientResponseHeaders, prepareClientUpgradeHeaders } from "./response-headers";
import type { RequestBody } from "./request-body";
import { upstreamTarget } from "./request-target";
import {
  describeUpstreamFailure,
  errorCode,
  isConnectFailure,
  isConnectionFailure,
  isStaleConnection,
} from "./upstream-failure";

export interface UpstreamForwarderOptions {
  agents: UpstreamAgents;
  /** No upstream response (or no new response bytes) within this time: 504. */
  proxyTimeoutMs: number;
  logger: Logger;
  /** While draining, responses tell clients to close so that connections wind down. */
  isDraining: () => boolean;
  /** Live state per upstream (by id): health verdicts, passive failure streaks, in-flight counts. */
  pool: UpstreamPool;
}

/** What the proxy's event handlers need to know about one attempt of a request at one upstream. */
interface Exchange {
  site: RuntimeSite;
  upstream: RuntimeUpstream;
  scheme: Scheme;
  timedOut: boolean;
  reusedSocket: boolean;
  upgraded: boolean;
  /** The upstream's answer arrived: from here on the client may already be getting it. */
  answered: boolean;
  /** A later attempt of a request this one retries; it reads an empty body. */
  isRetry: boolean;
  /** Retries already used by the request (each kind at most once), carried from attempt to attempt. */
  retriedStaleConnection: boolean;
  retriedElsewhere: boolean;
  /** http-proxy may report one attempt's failure twice (client and upstream side): act once. */
  failed: boolean;
  /** The attempt's in-flight slot in the pool was given back. */
  released: boolean;
  /** The client's Transfer-Encoding, before http-proxy's deleteLength pass could drop it. */
  transferEncoding: string | undefined;
  /** The request body on its way, paced; null for a request without one. */
  body: RequestBody | null;
  /** The upstream request, once http-proxy has one connected; cut when the client stalls. */
  upstreamRequest: ClientRequest | null;
}

/**
 * Methods that may be sent again (RFC 9110 idempotent methods), and only without a body: the
 * client's body stream has been consumed by the first attempt, and never reading one is the
 * only sure way not to resend half of it.
 */
const RESENDABLE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

function isServerResponse(value: unknown): value is ServerResponse {
  return typeof value === "object" && value !== null && "writeHead" in value;
}

/**
 * Sends requests and websocket upgrades to a site's upstreams through one http-proxy instance:
 * picks a healthy upstream with the site's policy, tells the pool how each attempt went (passive
 * checks, in-flight counts), retries what is safe to retry, and turns upstream failures into
 * 502/503/504 pages instead of exceptions.
 */
export class UpstreamForwarder {
  private readonly proxy: ProxyServer;
  private readonly exchanges = new WeakMap<IncomingMessage, Exchange>();
  private readonly agents: UpstreamAgents;
  private readonly proxyTimeoutMs: number;
  private readonly logger: Logger;
  private readonly isDraining: () => boolean;
  private readonly pool: UpstreamPool;

  constructor(options: UpstreamForwarderOptions) {
    this.agents = options.agents;
    this.proxyTimeoutMs = options.proxyTimeoutMs;
    this.logger = options.logger;
    this.isDraining = options.isDraining;
    this.pool = options.pool;

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
      if (exchange !== undefined) {
        exchange.answered = true;
        this.recordAnswer(exchange, proxyRes.statusCode ?? 0);
      }
      prepareClientResponseHeaders(proxyRes.headers, {
        edits: exchange === undefined ? NO_EDITS : responseEdits(exchange.site, exchange.scheme),
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

  web(req: IncomingMessage, res: ServerResponse, site: RuntimeSite, scheme: Scheme, body: RequestBody | null): void {
    const upstream = this.pick(req, site);
    if (upstream === null) {
      // Debug, not warn: this repeats for every request while the site is down, and the
      // upstreams' going down was already reported (bench warnings, active checks).
      this.logger.debug({ site: site.id }, "no healthy upstream");
      sendErrorPage(res, 503, this.errorPageHeaders(site, scheme));
      return;
    }
    prepareUpstreamRequestHeaders(req, scheme, false);
    applyHeaderEdits(req.headers, site.protection.headers.request);
    const first = this.forward(req, res, site, upstream, scheme, undefined, body);
    // The client stopped sending its body: its request is over here and at the upstream.
    body?.once("stall", () => {
      const exchange = this.exchanges.get(req) ?? first;
      exchange.upstreamRequest?.destroy();
    });
  }

  ws(req: IncomingMessage, socket: Duplex, head: Buffer, site: RuntimeSite, scheme: Scheme): void {
    const upstream = this.pick(req, site);
    if (upstream === null) {
      this.logger.debug({ site: site.id }, "no healthy upstream for a websocket");
      TrafficCounter.upgradeAnswered(socket, 503);
      writeRawErrorResponse(socket, 503);
      return;
    }
    prepareUpstreamRequestHeaders(req, scheme, true);
    applyHeaderEdits(req.headers, site.protection.headers.request);
    const exchange = this.newExchange(req, site, upstream, scheme, undefined, null);
    this.pool.acquire(upstream.id);
    // A websocket counts as in flight for as long as it is open: least connections must see it.
    socket.once("close", () => this.release(exchange));
    this.withUpstreamTarget(req, upstream, () =>
      this.proxy.ws(req, socket, head, this.optionsFor(site, upstream, exchange), (error) => this.onWsError(error, socket, exchange)),
    );
  }

  private onWsError(error: Error, socket: Duplex, exchange: Exchange): void {
    const { site, upstream } = exchange;
    this.logger.warn(
      { site: site.id, upstream: upstream.url.origin, code: errorCode(error), err: error.message },
      exchange.upgraded ? "websocket to upstream failed" : "websocket upgrade to upstream failed",
    );
    // Once upgraded, either side closing is ordinary websocket life; a client that left
    // before the upgrade says nothing about the upstream.
    if (!exchange.upgraded && !exchange.failed && !socket.destroyed) {
      exchange.failed = true;
      this.pool.recordFailure(exchange.site, upstream, describeUpstreamFailure(error, exchange.timedOut, this.proxyTimeoutMs));
    }
    if (!exchange.upgraded) {
      const status = exchange.timedOut ? 504 : 502;
      TrafficCounter.upgradeAnswered(socket, status);
      writeRawErrorResponse(socket, status);
    } else socket.destroy();
  }

  /**
   * http-proxy builds the upstream path from req.url with URL parsing, which resolves and merges
   * what it should pass on ("/a/%2e/b" became "/a/b", "/\\x/y" became "/y"). It is given the exact
   * path instead, with its own parsing off (toProxy), for the one synchronous call that reads it.
   */
  private withUpstreamTarget(req: IncomingMessage, upstream: RuntimeUpstream, send: () => void): void {
    const target = req.url ?? "/";
    req.url = upstreamTarget(upstream.url.pathname, target);
    try {
      send();
    } finally {
      req.url = target;
    }
  }

  /**
   * Asks the site's policy, leaving out what may not get requests now (active checks say down,
   * passive checks benched it) and, for a retry, the upstream that just failed.
   */
  private pick(req: IncomingMessage, site: RuntimeSite, failedId?: string): RuntimeUpstream | null {
    return this.pool.pick(site, { clientAddress: requestClientIp(req), exclude: failedId });
  }

  private newExchange(
    req: IncomingMessage,
    site: RuntimeSite,
    upstream: RuntimeUpstream,
    scheme: Scheme,
    previous: Exchange | undefined,
    body: RequestBody | null,
  ): Exchange {
    const exchange: Exchange = {
      site,
      upstream,
      scheme,
      timedOut: false,
      reusedSocket: false,
      upgraded: false,
      answered: false,
      isRetry: previous !== undefined,
      retriedStaleConnection: previous?.retriedStaleConnection ?? false,
      retriedElsewhere: previous?.retriedElsewhere ?? false,
      failed: false,
      released: false,
      transferEncoding: previous?.transferEncoding ?? req.headers["transfer-encoding"],
      body,
      upstreamRequest: null,
    };
    this.exchanges.set(req, exchange);
    return exchange;
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    site: RuntimeSite,
    upstream: RuntimeUpstream,
    scheme: Scheme,
    previous: Exchange | undefined,
    body: RequestBody | null,
  ): Exchange {
    const exchange = this.newExchange(req, site, upstream, scheme, previous, body);
    this.pool.acquire(upstream.id);
    res.once("close", () => this.release(exchange));
    this.withUpstreamTarget(req, upstream, () =>
      this.proxy.web(req, res, this.optionsFor(site, upstream, exchange), (error) => this.onWebError(error, req, res, exchange)),
    );
    return exchange;
  }

  private release(exchange: Exchange): void {
    if (exchange.released) return;
    exchange.released = true;
    this.pool.release(exchange.upstream.id);
  }

  /** Passive checks: the pool decides what an answer means for the upstream (see UpstreamPool). */
  private recordAnswer(exchange: Exchange, status: number): void {
    this.pool.recordAnswer(exchange.site, exchange.upstream, status);
  }

  private errorPageHeaders(site: RuntimeSite, scheme: Scheme): Record<string, string> {
    const headers: Record<string, string> = {};
    applyHeaderEdits(headers, responseEdits(site, scheme));
    return headers;
  }

  private optionsFor(site: RuntimeSite, upstream: RuntimeUpstream, exchange: Exchange): ServerOptions {
    const https = upstream.url.protocol === "https:";
    return {
      target: upstream.url,
      // The path is exact already (see withUpstreamTarget): no parsing, no prefix joining.
      toProxy: true,
      prependPath: false,
      agent: this.agents.forUpstream(upstream.url, site.verifyUpstreamTls),
      secure: site.verifyUpstreamTls,
      changeOrigin: !site.preserveHost,
      proxyTimeout: this.proxyTimeoutMs,
      // A fresh object each time: http-proxy builds the upstream request on top of it. The
      // server name is the upstream's own, so SNI and verification do not follow the client's
      // Host header when preserveHost is on.
      ssl: https ? { servername: upstream.tlsServername } : undefined,
      // A retry cannot re-read the client's (already consumed, empty) body stream.
      buffer: exchange.isRetry ? Readable.from([]) : (exchange.body ?? undefined),
    };
  }

  private onProxyRequest(proxyReq: ClientRequest, req: IncomingMessage): void {
    const exchange = this.exchanges.get(req);
    if (exchange === undefined) return;
    exchange.upstreamRequest = proxyReq;
    if (exchange.body?.stalled) proxyReq.destroy();
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
      TrafficCounter.upgradeAnswered(req.socket, 101);
      this.pool.recordSuccess(exchange.upstream.id);
      prepareClientUpgradeHeaders(proxyRes.headers);
    });
    proxyReq.once("response", (proxyRes: IncomingMessage) => {
      TrafficCounter.upgradeAnswered(req.socket, proxyRes.statusCode ?? 0);
      this.recordAnswer(exchange, proxyRes.statusCode ?? 0);
      prepareClientResponseHeaders(proxyRes.headers, {
        edits: responseEdits(exchange.site, exchange.scheme),
        keepAlive: false,
      });
    });
  }

  /** Sending the request again is safe: an idempotent method, no body, and no answer under way to the client. */
  private canResend(req: IncomingMessage, res: ServerResponse, exchange: Exchange): boolean {
    const bodyless =
      exchange.transferEncoding === undefined &&
      (req.headers["content-length"] === undefined || req.headers["content-length"] === "0");
    return (
      RESENDABLE_METHODS.has(req.method ?? "") &&
      bodyless &&
      !exchange.answered &&
      !res.headersSent &&
      !res.destroyed
    );
  }

  /**
   * Where a failed attempt goes next, if anywhere. One mechanism, two cases, each at most once
   * per request:
   *  - the keep-alive race (the upstream closed a pooled connection just as we reused it): the
   *    same upstream again, on a fresh connection;
   *  - the upstream could not be reached or dropped the connection: another healthy upstream,
   *    so that a dead upstream costs the client nothing while another one is up.
   * A timeout is never retried: the upstream may still be working on the request.
   */
  private retryTarget(error: Error, req: IncomingMessage, res: ServerResponse, exchange: Exchange, stale: boolean): RuntimeUpstream | null {
    if (!this.canResend(req, res, exchange)) return null;
    if (stale && !exchange.retriedStaleConnection && this.pool.isAvailable(exchange.upstream.id)) {
      return exchange.upstream;
    }
    if (exchange.retriedElsewhere || exchange.timedOut || !isConnectionFailure(error)) return null;
    return this.pick(req, exchange.site, exchange.upstream.id);
  }

  private onWebError(error: Error, req: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
    if (exchange.failed || this.exchanges.get(req) !== exchange) return;
    exchange.failed = true;
    this.release(exchange);
    const { site, upstream } = exchange;
    const clientGone = res.destroyed || req.socket.destroyed;
    const stale = isStaleConnection(error, exchange.reusedSocket, exchange.timedOut);
    const reason = describeUpstreamFailure(error, exchange.timedOut, this.proxyTimeoutMs);
    // Until the client has sent its whole request, only a failure to connect is surely the
    // upstream's: a timeout or a cut may be the client's stalled body. A client's fault, the
    // keep-alive race and a client hanging up say nothing about the upstream's health.
    const clientsTurn = exchange.body?.stalled === true || (!req.complete && !isConnectFailure(error));
    if (!stale && !clientGone && !clientsTurn) this.pool.recordFailure(site, upstream, reason);

    const next = clientGone ? null : this.retryTarget(error, req, res, exchange, stale);
    if (next !== null) {
      if (next === upstream) exchange.retriedStaleConnection = true;
      else exchange.retriedElsewhere = true;
      this.logger.debug(
        { site: site.id, upstream: upstream.url.origin, next: next.url.origin, reason },
        next === upstream ? "retrying on a fresh upstream connection" : "retrying on another upstream",
      );
      this.forward(req, res, site, next, exchange.scheme, exchange, null);
      return;
    }
    const status = exchange.timedOut ? 504 : 502;
    this.logger.warn({ site: site.id, upstream: upstream.url.origin, code: errorCode(error), reason, status }, "upstream request failed");
    sendErrorPage(res, status, this.errorPageHeaders(site, exchange.scheme));
  }
}

function responseEdits(site: RuntimeSite, scheme: Scheme): HeaderEdits {
  return scheme === "https" ? site.protection.headers.responseHttps : site.protection.headers.responseHttp;
}
