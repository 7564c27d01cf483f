import { ServerResponse, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { parseHostHeader } from "../routing/parse-host-header";
import { endSocket } from "./end-socket";
import { writeRawErrorResponse } from "./error-pages";
import type { HandlerContext } from "./handler-context";
import { httpsLocation } from "./https-redirect";
import { TrafficCounter } from "../traffic/traffic-counter";
import { resolveClient } from "./client-ip";
import { protectRequest } from "./protect-request";
import { hasBody } from "./request-body";
import { cleanRequest } from "./request-hygiene";

function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return req.method === "GET" && req.headers.upgrade?.toLowerCase() === "websocket";
}

/**
 * Node routes every request carrying "Upgrade" here once an upgrade listener exists, including
 * `curl --http2`'s h2c attempt. Those are answered as ordinary HTTP/1.1 requests (the upgrade is
 * declined, as the RFC allows) on a connection that closes afterwards.
 */
function serveAsPlainRequest(
  req: IncomingMessage,
  socket: Duplex,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  context: HandlerContext,
): void {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Parameters<ServerResponse["assignSocket"]>[0]);
  res.once("finish", () => endSocket(socket, ""));
  context.tracker.trackResponse(res);
  handle(req, res);
}

export function createUpgradeHandler(
  context: HandlerContext,
  handleRequest: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on("error", (error) => context.logger.debug({ err: error }, "upgrade socket error"));
    context.tracker.detach(socket);
    try {
      if (!isWebSocketUpgrade(req)) {
        if (!hasBody(req)) serveAsPlainRequest(req, socket, handleRequest, context);
        else writeRawErrorResponse(socket, 400);
        return;
      }
      const refused = cleanRequest(req);
      if (refused !== null) {
        writeRawErrorResponse(socket, refused);
        return;
      }
      const runtime = context.currentRuntime();
      const site = runtime?.router.match(req.headers.host) ?? null;
      if (runtime === null || site === null) {
        writeRawErrorResponse(socket, 404);
        return;
      }
      const client = resolveClient(req, runtime.trustedProxies);
      context.traffic?.trackUpgrade(req, socket, site.id);
      if (context.scheme === "http" && site.forceHttps && client.scheme !== "https") {
        const hostname = parseHostHeader(req.headers.host) ?? "";
        TrafficCounter.upgradeAnswered(socket, 301);
        endSocket(
          socket,
          `HTTP/1.1 301 Moved Permanently\r\nLocation: ${httpsLocation(hostname, context.httpsPort(), req.url)}\r\n` +
            "Content-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
      }
      if (!site.websockets) {
        TrafficCounter.upgradeAnswered(socket, 400);
        writeRawErrorResponse(socket, 400);
        return;
      }
      protectRequest(site, context.exploits, req, client.ip, socket, (refusal) => {
        if (refusal !== null) {
          TrafficCounter.upgradeAnswered(socket, refusal.status);
          writeRawErrorResponse(socket, refusal.status, refusal.headers);
          return;
        }
        context.tracker.trackUpgrade(socket);
        context.forwarder.ws(req, socket, head, site, context.scheme);
      });
    } catch (error) {
      context.logger.error({ err: error, host: req.headers.host }, "upgrade handling failed");
      socket.destroy();
    }
  };
}
