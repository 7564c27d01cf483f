import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import type { Logger } from "pino";
import { upstreamRequestHeaders } from "../data-plane/forwarded-headers";
import { upstreamTarget } from "../data-plane/request-target";
import { clientResponseHeaders } from "../data-plane/response-headers";
import { responseGone } from "../data-plane/error-pages";
import { answer } from "../pipeline/answer";
import type { ResponseReply } from "../pipeline/reply";
import type { RequestContext } from "../pipeline/request-context";
import type { RuntimeUpstream } from "../runtime/runtime-types";
import type { UpstreamClients } from "../upstream/upstream-clients";
import type { UpstreamPool } from "../upstream/upstream-pool";
import { codedBody, directBody, discardedBody, type BodyWriter } from "./body-writer";
import type { AnswerTap } from "./answer-tap";
import { headersFromRaw } from "./response-head";
import { planCompression, type CompressionDecision } from "../compression/compression-plan";
import { createEncoder } from "../compression/encoder";
import { pickUpstream, responseEdits } from "./upstream-choice";
import { describeUpstreamFailure, errorCode, isBrokenConnection, isConnectFailure, isConnectionFailure, isTimeout } from "./upstream-failure";

export interface HttpForwarderOptions {
  clients: UpstreamClients;
  /** Live state per upstream (by id): health verdicts, passive failure streaks, in-flight counts. */
  pool: UpstreamPool;
  /** No upstream answer (or no new answer bytes) within this time: 504. */
  proxyTimeoutMs: number;
  logger: Logger;
  /** While draining, responses tell clients to close so that connections wind down. */
  isDraining(): boolean;
}

/**
 * Methods that may be sent again (RFC 9110 idempotent methods), and only without a body: the
 * client's body has been consumed by the first attempt, and never reading one is the only sure
 * way not to resend half of it.
 */
const RESENDABLE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** The retries a request has used; each kind at most once. */
interface Retries {
  sameUpstream: boolean;
  elsewhere: boolean;
}

/**
 * The final stage of an HTTP request: sends it to one of its upstreams (its route's or its site's)
 * over a pooled keep-alive connection (undici), streams the answer back with backpressure both
 * ways, tells the pool how each attempt went, retries what is safe to retry, and turns failures
 * into 502/503/504.
 */
export class HttpForwarder {
  constructor(private readonly options: HttpForwarderOptions) {}

  readonly forward = (ctx: RequestContext, tap: AnswerTap | null = null): void => {
    const upstream = pickUpstream(this.options.pool, ctx);
    if (upstream === null) {
      // Debug, not warn: this repeats for every request while the site is down, and the
      // upstreams' going down was already reported (bench warnings, active checks).
      this.options.logger.debug({ site: ctx.site!.id }, "no healthy upstream");
      if (tap?.failed() !== true && tap?.detached !== true) answer(ctx, 503);
      return;
    }
    this.attempt(ctx, upstream, { sameUpstream: false, elsewhere: false }, ctx.body, tap);
  };

  private attempt(ctx: RequestContext, upstream: RuntimeUpstream, retries: Retries, body: Readable | null, tap: AnswerTap | null): void {
    const exchange = new Exchange(this, ctx, upstream, retries, tap);
    const site = ctx.site!;
    const made = upstreamRequestHeaders(ctx.req, ctx.client, ctx.scheme, {
      websocket: false,
      host: site.preserveHost ? null : upstream.url.host,
      edits: site.protection.headers.request,
      localPort: ctx.localPort,
    });
    const headers = tap === null ? made : tap.requestHeaders(made);
    this.options.pool.acquire(upstream.id);
    this.options.clients.for(upstream, site.verifyUpstreamTls).dispatch(
      {
        path: upstreamTarget(upstream.url.pathname, ctx.target),
        method: ctx.req.method as Dispatcher.HttpMethod,
        headers,
        body,
        headersTimeout: this.options.proxyTimeoutMs,
        bodyTimeout: this.options.proxyTimeoutMs,
      },
      exchange,
    );
  }

  /** @internal An attempt ended in an error: count it, retry it, or answer it. */
  failed(exchange: Exchange, error: Error): void {
    const { ctx, upstream, res, retries, tap } = exchange;
    const { pool, logger, proxyTimeoutMs } = this.options;
    // The client left, or its body stalled and it has been answered: nothing to tell anybody.
    if (errorCode(error) === "UND_ERR_ABORTED" || (responseGone(res) && tap?.detached !== true)) {
      tap?.failed();
      return;
    }
    const timedOut = isTimeout(error);
    const reason = describeUpstreamFailure(error, timedOut, proxyTimeoutMs);
    const resendable = RESENDABLE_METHODS.has(ctx.req.method ?? "") && ctx.body === null && !exchange.answered && !res.headersSent;
    // A pooled connection that broke before any answer was most likely closed by the upstream just
    // as it was reused (the keep-alive race): once, the same upstream on a fresh connection, uncounted.
    const stale = resendable && !retries.sameUpstream && isBrokenConnection(error) && pool.isAvailable(upstream.id);
    // Until the client has sent its whole request, only a failure to connect is surely the
    // upstream's: a timeout or a cut may be the client's stalled body.
    const clientsTurn = ctx.body?.stalled === true || (!ctx.req.complete && !isConnectFailure(error));
    if (!stale && !clientsTurn) pool.recordFailure(ctx.upstreams!, upstream, reason);

    let next: RuntimeUpstream | null = null;
    if (stale) next = upstream;
    else if (resendable && !retries.elsewhere && !timedOut && isConnectionFailure(error)) next = pickUpstream(pool, ctx, upstream);
    if (next !== null) {
      logger.debug(
        { site: ctx.site!.id, upstream: upstream.url.origin, next: next.url.origin, reason },
        next === upstream ? "retrying on a fresh upstream connection" : "retrying on another upstream",
      );
      this.attempt(
        ctx,
        next,
        { sameUpstream: retries.sameUpstream || next === upstream, elsewhere: retries.elsewhere || next !== upstream },
        null,
        tap,
      );
      return;
    }
    const status = timedOut ? 504 : 502;
    logger.warn({ site: ctx.site!.id, upstream: upstream.url.origin, code: errorCode(error), reason, status }, "upstream request failed");
    if (tap?.failed() === true || tap?.detached === true) return;
    // Once the answer has started, the only honest move is to cut it (the error page does that).
    answer(ctx, status);
  }

  /** @internal The answer's head for the client, and whether its body is compressed on the way. */
  answered(exchange: Exchange, status: number, rawHeaders: Buffer[]): CompressionDecision {
    this.options.pool.recordAnswer(exchange.ctx.upstreams!, exchange.upstream, status);
    return clientAnswer(exchange.ctx, status, rawHeaders, this.options.isDraining());
  }

  /** @internal */
  release(upstream: RuntimeUpstream): void {
    this.options.pool.release(upstream.id);
  }
}

/** The head of an answer for this request's client: the site's response headers, the connection, compression planned. */
export function clientAnswer(ctx: RequestContext, status: number, raw: ReadonlyArray<Buffer | string>, draining: boolean): CompressionDecision {
  const res = (ctx.reply as ResponseReply).res;
  const headers = clientResponseHeaders(raw, {
    edits: responseEdits(ctx),
    keepAlive: ctx.req.httpVersionMajor === 2 ? null : res.shouldKeepAlive && !draining,
  });
  const compression = ctx.site!.compression;
  if (compression === null) return { headers, coding: null, length: undefined };
  return planCompression(compression, ctx.req.headers["accept-encoding"], status, headers);
}

/** One attempt of a request at one upstream: undici's handler, streaming the answer to the client. */
class Exchange implements Dispatcher.DispatchHandlers {
  readonly res: ServerResponse;
  /** The upstream's answer arrived: from here on the client may already be getting it. */
  answered = false;
  private settled = false;
  private abort: ((error?: Error) => void) | null = null;
  private resume: (() => void) | null = null;
  private body: BodyWriter | null = null;
  /** The client has all it gets (from the cache, or a head alone): the rest of the answer is the cache's. */
  private clientDone: boolean;

  constructor(
    private readonly forwarder: HttpForwarder,
    readonly ctx: RequestContext,
    readonly upstream: RuntimeUpstream,
    readonly retries: Retries,
    readonly tap: AnswerTap | null,
  ) {
    this.res = (ctx.reply as ResponseReply).res;
    this.clientDone = tap?.detached === true;
    // The client left (or was answered already, a stalled body): the upstream request is over too,
    // unless only the cache still wants the rest of it.
    this.res.once("close", () => {
      if (!this.clientDone && this.settle()) this.abort?.();
    });
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abort = abort;
    if (this.settled || this.ctx.body?.stalled === true) abort();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.answered = true;
    const { headers, coding, length } = this.forwarder.answered(this, statusCode, rawHeaders);
    const tapped = this.tap === null ? { status: statusCode, headers, clientBody: true } : this.tap.head(statusCode, rawHeaders, headers);
    if (tapped === "answered") this.clientDone = true;
    if (tapped === null || (!this.clientDone && responseGone(this.res))) {
      // Nobody wants the rest of this answer.
      this.settle();
      this.abort?.();
      return false;
    }
    this.resume = resume;
    if (this.clientDone || tapped === "answered") {
      this.body = discardedBody();
      return true;
    }
    this.res.writeHead(tapped.status, tapped.headers);
    // A HEAD answer says what a GET would get, but has no body to code.
    if (!tapped.clientBody) {
      this.clientDone = true;
      this.res.end();
      this.body = discardedBody();
    } else if (coding === null || this.ctx.req.method === "HEAD") this.body = directBody(this.res);
    else this.body = codedBody(this.res, createEncoder(coding, length), (this.ctx.coded = { in: 0, out: 0 }));
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.tap?.data(chunk);
    if (this.body!.write(chunk)) return true;
    // The client reads slower than the upstream sends: undici pauses until the client catches up.
    this.body!.onDrain(this.resume!);
    return false;
  }

  onComplete(trailers: Buffer[] | string[] | null): void {
    this.settle();
    this.tap?.complete();
    this.body!.end(trailers !== null && trailers.length > 0 ? headersFromRaw(trailers) : null);
  }

  onError(error: Error): void {
    if (!this.settle()) return;
    this.forwarder.failed(this, error);
  }

  /** Ends the attempt's hold on its upstream, once; false if it had ended already. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.forwarder.release(this.upstream);
    return true;
  }
}
