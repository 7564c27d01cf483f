import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import WebSocket from "ws";

export interface SimpleResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SimpleRequest {
  port: number;
  /** The Host header to send. */
  host: string;
  /** Where to connect: 127.0.0.1 unless told ("::1" to come over IPv6). */
  address?: string;
  path?: string;
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string;
  /** Use HTTPS; servername defaults to `host` without port. */
  tls?: { servername?: string; ca?: string };
  /** A keep-alive agent to reuse connections; default: a fresh connection that closes. */
  agent?: http.Agent;
  /** Connect from this loopback address (127.0.0.0/8 is all local), to appear as another client. */
  localAddress?: string;
}

/** One HTTP(S) request through the proxy, with full control over the Host header. */
export function request(options: SimpleRequest): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const common = {
      host: options.address ?? "127.0.0.1",
      port: options.port,
      path: options.path ?? "/",
      method: options.method ?? "GET",
      headers: { host: options.host, ...options.headers },
      agent: options.agent ?? false,
      localAddress: options.localAddress,
    };
    const req = options.tls
      ? https.request({
          ...common,
          servername: options.tls.servername ?? options.host.replace(/:\d+$/, ""),
          ca: options.tls.ca,
          rejectUnauthorized: options.tls.ca !== undefined,
        })
      : http.request(common);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/**
 * Writes raw bytes and returns everything the server sends until it closes the connection; by
 * default to 127.0.0.1 from wherever the system picks.
 */
export function rawExchange(port: number, payload: string | Buffer, from: { address?: string; localAddress?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: from.address ?? "127.0.0.1", localAddress: from.localAddress }, () => socket.write(payload));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
  });
}

/** The certificate a TLS server presents for this SNI name (or none). */
export function peerCertificate(
  port: number,
  servername: string | undefined,
  extra: tls.ConnectionOptions = {},
): Promise<tls.DetailedPeerCertificate & { protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, servername, rejectUnauthorized: false, ...extra }, () => {
      const certificate = socket.getPeerCertificate(true);
      const protocol = socket.getProtocol();
      socket.end();
      resolve({ ...certificate, protocol });
    });
    socket.on("error", reject);
  });
}

/** Opens a websocket through the proxy, sends one message, returns the reply. */
export function websocketEcho(options: { port: number; host: string; path?: string; message: string; secure?: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const scheme = options.secure ? "wss" : "ws";
    // ws passes servername through to tls.connect, but its types do not list it.
    const clientOptions: WebSocket.ClientOptions & { servername?: string } = {
      headers: { host: options.host },
      servername: options.secure ? options.host : undefined,
      rejectUnauthorized: false,
    };
    const socket = new WebSocket(`${scheme}://127.0.0.1:${options.port}${options.path ?? "/"}`, clientOptions);
    socket.on("open", () => socket.send(options.message));
    socket.on("message", (data) => {
      resolve(data.toString());
      socket.close();
    });
    socket.on("unexpected-response", (_req, res) => {
      reject(new Error(`websocket refused with HTTP ${res.statusCode}`));
      res.resume();
      socket.terminate();
    });
    socket.on("error", reject);
  });
}
