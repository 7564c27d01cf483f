import { ServerResponse, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { ByteCount } from "../traffic/byte-count";
import type { ConnectionTracker } from "./connection-tracker";
import { endSocket } from "./end-socket";
import { writeRawErrorResponse } from "./error-pages";
import { hasBody } from "./request-body";

export interface UpgradeListenerOptions {
  tracker: ConnectionTracker;
  serveRequest(req: IncomingMessage, res: ServerResponse, bytes: ByteCount): void;
  serveUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, bytes: ByteCount): void;
}

function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return req.method === "GET" && req.headers.upgrade?.toLowerCase() === "websocket";
}

/**
 * Node routes every request carrying "Upgrade" to this listener, including `curl --http2`'s h2c
 * attempt. Websockets go through the pipeline as upgrades; the rest are answered as ordinary
 * HTTP/1.1 requests (the upgrade declined, as the RFC allows) on a connection that closes after.
 */
export function createUpgradeListener(options: UpgradeListenerOptions): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    const bytes = options.tracker.detach(socket);
    if (isWebSocketUpgrade(req)) {
      options.serveUpgrade(req, socket, head, bytes);
      return;
    }
    if (hasBody(req)) {
      writeRawErrorResponse(socket, 400);
      return;
    }
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Parameters<ServerResponse["assignSocket"]>[0]);
    res.once("finish", () => endSocket(socket, ""));
    options.serveRequest(req, res, bytes);
  };
}
