import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { endSocket } from "../data-plane/end-socket";
import { upstreamRequestHeaders } from "../data-plane/forwarded-headers";
import { upstreamTarget } from "../data-plane/request-target";
import { clientResponseHeaders, clientUpgradeHeaders } from "../data-plane/response-headers";
import { answer } from "../pipeline/answer";
import type { SocketReply } from "../pipeline/reply";
import type { RequestContext } from "../pipeline/request-context";
import type { RuntimeUpstream } from "../runtime/runtime-types";
import type { UpstreamPool } from "../upstream/upstream-pool";
import { rawResponseHead } from "./response-head";
import { pickUpstream, responseEdits } from "./upstream-choice";
import { describeUpstreamFailure, errorCode } from "./upstream-failure";

export interface UpgradeForwarderOptions {
  pool: UpstreamPool;
  /** No answer to the upgrade within this time: 504. */
  proxyTimeoutMs: number;
  logger: Logger;
}

/**
 * The final stage of a websocket upgrade: asks one of its upstreams (its route's or its site's) to
 * switch protocols on a connection of its own and, once it has, splices the two sockets. An upstream that declines
 * has its answer passed on (with the site's headers); one that cannot be reached gets 502/504.
 */
export class UpgradeForwarder {
  constructor(private readonly options: UpgradeForwarderOptions) {}

  readonly forward = (ctx: RequestContext): void => {
    const { pool, logger } = this.options;
    const upstream = pickUpstream(pool, ctx);
    if (upstream === null) {
      logger.debug({ site: ctx.site!.id }, "no healthy upstream for a websocket");
      answer(ctx, 503);
      return;
    }
    // A websocket counts as in flight for as long as it is open: least connections must see it.
    pool.acquire(upstream.id);
    const reply = ctx.reply as SocketReply;
    reply.onClose(() => pool.release(upstream.id));
    this.connect(ctx, reply, upstream);
  };

  private connect(ctx: RequestContext, reply: SocketReply, upstream: RuntimeUpstream): void {
    const { pool, proxyTimeoutMs, logger } = this.options;
    const site = ctx.site!;
    const client = reply.socket;
    const secure = upstream.url.protocol === "https:";
    const headers = upstreamRequestHeaders(ctx.req, ctx.client, ctx.scheme, {
      websocket: true,
      host: site.preserveHost ? null : upstream.url.host,
      edits: site.protection.headers.request,
      localPort: ctx.localPort,
    });
    const request = (secure ? https : http).request({
      host: bareHost(upstream.url.hostname),
      port: upstream.url.port || (secure ? 443 : 80),
      path: upstreamTarget(upstream.url.pathname, ctx.target),
      method: "GET",
      headers,
      // A websocket keeps its connection for itself: nothing to pool.
      agent: false,
      ...(secure ? { servername: upstream.tlsServername || undefined, rejectUnauthorized: site.verifyUpstreamTls } : {}),
    });
    let upgraded = false;
    let timedOut = false;
    request.setTimeout(proxyTimeoutMs, () => {
      timedOut = true;
      request.destroy();
    });
    client.once("close", () => {
      if (!upgraded) request.destroy();
    });

    request.once("upgrade", (res: IncomingMessage, upstreamSocket: Socket, upstreamHead: Buffer) => {
      upgraded = true;
      request.setTimeout(0);
      reply.answered(101);
      pool.recordSuccess(upstream.id);
      if (client.destroyed) {
        upstreamSocket.destroy();
        return;
      }
      client.write(rawResponseHead(101, "Switching Protocols", clientUpgradeHeaders(res.rawHeaders)));
      if (upstreamHead.length > 0) client.write(upstreamHead);
      if (ctx.upgradeHead !== null && ctx.upgradeHead.length > 0) upstreamSocket.write(ctx.upgradeHead);
      splice(client, upstreamSocket);
    });

    // The upstream declined the upgrade: its answer goes to the client, and the connection closes.
    request.once("response", (res: IncomingMessage) => {
      const status = res.statusCode ?? 502;
      reply.answered(status);
      pool.recordAnswer(ctx.upstreams!, upstream, status);
      const clientHeaders = clientResponseHeaders(res.rawHeaders, { edits: responseEdits(ctx), keepAlive: false });
      // The body goes out as it comes (unchunked) and the connection's end delimits it.
      client.write(rawResponseHead(status, res.statusMessage ?? "", clientHeaders));
      res.on("data", (chunk: Buffer) => client.write(chunk));
      res.once("end", () => endSocket(client, ""));
      res.once("error", () => client.destroy());
    });

    request.once("error", (error) => {
      if (upgraded) return;
      const reason = describeUpstreamFailure(error, timedOut, proxyTimeoutMs);
      logger.warn({ site: site.id, upstream: upstream.url.origin, code: errorCode(error), reason }, "websocket upgrade to upstream failed");
      // A client that left before the upgrade says nothing about the upstream.
      if (client.destroyed) return;
      pool.recordFailure(ctx.upstreams!, upstream, reason);
      answer(ctx, timedOut ? 504 : 502);
    });
    request.end();
  }
}

/** URL.hostname keeps an IPv6 address in brackets; a socket wants it bare. */
function bareHost(hostname: string): string {
  return hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
}

/** Both directions, until either side closes; a websocket has no timeouts of its own here. */
function splice(client: Duplex, upstream: Socket): void {
  upstream.setNoDelay(true);
  upstream.setKeepAlive(true);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.once("close", close);
  upstream.once("close", close);
  client.on("error", close);
  upstream.on("error", close);
  client.pipe(upstream);
  upstream.pipe(client);
}
