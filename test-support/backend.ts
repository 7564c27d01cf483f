import { EventEmitter, once } from "node:events";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { WebSocketServer } from "ws";

/** What the echo backend answers: enough to check what the proxy forwarded. */
export interface EchoResponse {
  backend: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface BackendOptions {
  /** Appears in every answer, so that tests can tell upstreams apart. */
  name: string;
  /** Serve HTTPS with this certificate instead of HTTP. */
  tls?: { certificatePem: string; privateKeyPem: string };
  /** Delay every answer by this long (simulates a slow application). */
  delayMs?: number;
  /** The loopback address to listen on: "127.0.0.1" (the default) or "::1". */
  host?: "127.0.0.1" | "::1";
}

export interface Backend {
  name: string;
  port: number;
  /** http(s)://127.0.0.1:port, or http(s)://[::1]:port */
  url: string;
  /** Resolves when the next request arrives (before it is answered). */
  nextRequest(): Promise<void>;
  /** Upgrade requests as the backend saw them. */
  upgrades: Array<{ url: string; headers: IncomingHttpHeaders }>;
  /** How many plain requests have arrived so far. */
  received(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * A real upstream on an ephemeral port. Paths with special behaviour:
 *  - /hang          never answers (for timeouts)
 *  - /hop-headers   answers with hop-by-hop and revealing headers that the proxy must drop
 *  - /status/NNN    answers with that status
 * Everything else echoes method, url, headers and body as JSON. Websocket connections echo each
 * message back as "<name>:<message>".
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const upgrades: Backend["upgrades"] = [];
  const arrivals = new EventEmitter();
  let received = 0;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    received += 1;
    arrivals.emit("request");
    void (async () => {
      const body = await readBody(req);
      if (req.url?.startsWith("/hang")) return; // never answers
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const status = /^\/status\/(\d{3})/.exec(req.url ?? "")?.[1];
      const echo: EchoResponse = {
        backend: options.name,
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
      };
      const headers: Record<string, string> = {
        "content-type": "application/json",
        server: "SecretBackend/9.9.9",
        "x-powered-by": "PHP/5.1.0",
      };
      if (req.url?.startsWith("/hop-headers")) {
        Object.assign(headers, {
          connection: "keep-alive, x-hop-secret",
          "keep-alive": "timeout=5",
          "x-hop-secret": "must-not-reach-the-client",
          "proxy-authenticate": "Basic",
          trailer: "x-checksum",
          upgrade: "h2c",
          "x-end-to-end": "kept",
        });
      }
      res.writeHead(status ? Number(status) : 200, headers);
      res.end(JSON.stringify(echo));
    })().catch(() => res.destroy());
  };

  const server = options.tls
    ? https.createServer({ cert: options.tls.certificatePem, key: options.tls.privateKeyPem }, handler)
    : http.createServer(handler);

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    upgrades.push({ url: req.url ?? "", headers: req.headers });
    wss.handleUpgrade(req, socket, head, (client) => {
      client.on("message", (data) => client.send(`${options.name}:${data.toString()}`));
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name: options.name,
    port,
    url: `${options.tls ? "https" : "http"}://${host === "::1" ? "[::1]" : host}:${port}`,
    upgrades,
    nextRequest: () => once(arrivals, "request").then(() => undefined),
    received: () => received,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens (connection refused). */
export async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An upstream that accepts TCP connections and then slams them shut (connection reset). */
export async function startResettingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = net.createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * An upstream that answers the first request on each connection (keeping it alive) and resets
 * the connection when a second request arrives on it: the race where an upstream closes an idle
 * pooled connection just as the proxy reuses it, made deterministic.
 */
export async function startStaleKeepAliveServer(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    let received = "";
    let answered = false;
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      const requests = received.split("\r\n\r\n").length - 1;
      if (requests >= 1 && !answered) {
        answered = true;
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nKeep-Alive: timeout=60\r\n\r\nok");
      }
      if (requests >= 2) socket.resetAndDestroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
