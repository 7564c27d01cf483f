import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

/** 19 bytes, as in the reference measurements (issue 11, RECIPES.md). */
export const BODY = "hello from backend\n";

/** The path of a 100 KB HTML page, for the compression scenarios. */
export const PAGE_PATH = "/page.html";
const PAGE = Buffer.from(
  `<!doctype html><html><head><title>Catalogue</title></head><body><ul>\n${Array.from(
    { length: 1400 },
    (_, index) => `<li class="item"><a href="/items/${index}">Item ${index}</a> <span>${(index * 37) % 1000} EUR</span></li>\n`,
  ).join("")}</ul></body></html>\n`,
).subarray(0, 100 * 1024);

export interface BenchBackend {
  /** The HTTP server: the soak listens to its requests to see the client addresses the proxy forwarded. */
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

/**
 * The backend every target sits in front of: a Node HTTP server in the bench process answering the
 * 19-byte body to every request but one for a 100 KB HTML page, and echoing every websocket
 * message on the same port.
 */
export async function startBenchBackend(body = BODY): Promise<BenchBackend> {
  const server = http.createServer((request, response) => {
    if (request.url === PAGE_PATH) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": PAGE.length });
      response.end(PAGE);
      return;
    }
    response.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
  const websockets = new WebSocketServer({ server });
  websockets.on("connection", (socket) => socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      websockets.clients.forEach((socket) => socket.terminate());
      websockets.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
