import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { ConnectionTracker } from "../data-plane/connection-tracker";
import type { Duplex } from "node:stream";
import { clientAddress } from "../data-plane/client-ip";
import type { Scheme } from "../data-plane/forwarded-headers";
import type { PipelineEnv } from "./pipeline-env";
import { ResponseReply, SocketReply, type Reply } from "./reply";
import type { RequestContext, RequestKind } from "./request-context";
import { STAGES } from "./stages";
import type { ByteCount } from "../traffic/byte-count";

function newContext(
  kind: RequestKind,
  scheme: Scheme,
  req: IncomingMessage,
  reply: Reply,
  bytes: ByteCount,
  env: PipelineEnv,
  head: Buffer | null,
): RequestContext {
  // Read while the connection is surely there: an HTTP/2 stream's socket cannot be read once its
  // connection is gone, and later stages may wait.
  const peer = clientAddress(req.socket) ?? "";
  return {
    kind,
    scheme,
    req,
    reply,
    bytes,
    upgradeHead: head,
    startedAt: performance.now(),
    runtime: env.currentRuntime(),
    localPort: req.socket.localPort,
    site: null,
    upstreams: null,
    target: "",
    route: null,
    client: { ip: peer, scheme: null, peer, viaTrustedProxy: false },
    blockedBy: null,
    coded: null,
    cache: null,
    body: null,
  };
}

/** An HTTP request, admitted on its connection. */
export function serveRequest(env: PipelineEnv, scheme: Scheme, req: IncomingMessage, res: ServerResponse, bytes: ByteCount): void {
  // A client that vanishes mid-response makes writes fail; that is routine, not a crash.
  res.on("error", (error) => env.logger.debug({ err: error }, "client response error"));
  req.on("error", (error) => env.logger.debug({ err: error }, "client request error"));
  advance(newContext("request", scheme, req, new ResponseReply(res), bytes, env, null), env, 0);
}

/**
 * An HTTP/2 stream, through the same pipeline: Node's compatibility objects have everything the
 * stages read of an HTTP/1.1 request and response. Its Host is its :authority, as HTTP/1.1's
 * would be; the pseudo-headers stay for Node and are never forwarded.
 */
export function serveStream(env: PipelineEnv, tracker: ConnectionTracker, req: Http2ServerRequest, res: Http2ServerResponse): void {
  const authority = req.headers[":authority"];
  if (req.headers.host === undefined && authority !== undefined) req.headers.host = authority;
  tracker.trackResponse(res as unknown as ServerResponse);
  serveRequest(env, "https", req as unknown as IncomingMessage, res as unknown as ServerResponse, tracker.sessionBytes(req.stream.session!));
}

/** A websocket upgrade: the socket has left HTTP/1.1. */
export function serveUpgrade(env: PipelineEnv, scheme: Scheme, req: IncomingMessage, socket: Duplex, head: Buffer, bytes: ByteCount): void {
  socket.on("error", (error) => env.logger.debug({ err: error }, "upgrade socket error"));
  advance(newContext("upgrade", scheme, req, new SocketReply(socket), bytes, env, head), env, 0);
}

/** Runs the stages from `from` on, synchronously until one has to wait. */
function advance(ctx: RequestContext, env: PipelineEnv, from: number): void {
  try {
    for (let index = from; index < STAGES.length; index++) {
      const result = STAGES[index]!(ctx, env);
      if (result === true) continue;
      if (result !== false) {
        result.then(
          // A client that left while the stage waited is not served: nothing more may be taken for it.
          (go) => go && !ctx.reply.done && advance(ctx, env, index + 1),
          (error: unknown) => fail(ctx, env, error),
        );
      }
      return;
    }
    env.forward[ctx.kind](ctx);
  } catch (error) {
    fail(ctx, env, error);
  }
}

function fail(ctx: RequestContext, env: PipelineEnv, error: unknown): void {
  env.logger.error({ err: error, host: ctx.req.headers.host, kind: ctx.kind }, "request handling failed");
  ctx.reply.send(500);
}
