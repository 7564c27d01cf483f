import type { Server as HttpServer, ServerResponse } from "node:http";
import type { Http2SecureServer, Http2Session, ServerHttp2Session } from "node:http2";
import type { Server, Socket } from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import { ByteCount } from "../traffic/byte-count";
import { ClientConnection, type AdmittedHandler } from "./client-connection";
import { endSocket } from "./end-socket";
import { writeRawErrorResponse } from "./error-pages";

/**
 * Knows every client connection and what is in flight on it, so that deadlines hold on every
 * connection and a graceful shutdown can wait for exactly what is in flight, then close the rest
 * (idle keep-alive sockets, half-done TLS handshakes).
 */
export class ConnectionTracker {
  private inFlight = 0;
  private readonly upgraded = new Set<Duplex>();
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Map<Duplex, ClientConnection>();
  /** HTTP/2 connections, with their bytes not yet counted to a stream. */
  private readonly sessions = new Map<Http2Session, ByteCount>();
  private readonly idleWaiters: Array<() => void> = [];
  private draining = false;

  /**
   * `httpServers` speak HTTP on their connections (plain ones, or TLS sockets once the handshake
   * is done); `rawServers` hand their connections on to them (the TLS front), tracked so they are
   * cut on close.
   */
  private readonly headersTimeoutMs: number;

  constructor(
    httpServers: ReadonlyArray<HttpServer | Http2SecureServer>,
    rawServers: readonly Server[],
    timeouts: { headersTimeoutMs: number; keepAliveTimeoutMs: number },
  ) {
    this.headersTimeoutMs = timeouts.headersTimeoutMs;
    // Plain HTTP connections are tracked as ClientConnections, TLS ones from the raw socket on.
    for (const server of rawServers) {
      server.on("connection", (socket: Socket) => {
        this.sockets.add(socket);
        socket.once("close", () => this.sockets.delete(socket));
      });
    }
    // On a TLS server, HTTP starts once the handshake is done (which has a timeout of its own);
    // HTTP/2 connections are sessions, with deadlines of their own.
    for (const server of httpServers) {
      if (!(server instanceof tls.Server)) server.on("connection", (socket: Duplex) => this.open(socket));
      else {
        server.on("secureConnection", (socket: tls.TLSSocket) => socket.alpnProtocol !== "h2" && this.open(socket));
        server.on("session", (session: ServerHttp2Session) => this.openSession(session, timeouts.keepAliveTimeoutMs));
      }
    }
  }

  get isDraining(): boolean {
    return this.draining;
  }

  get activeCount(): number {
    return this.inFlight + this.upgraded.size;
  }

  /** A request's headers arrived: `handle` runs when the connection's earlier requests are answered. */
  admit(res: ServerResponse, handle: AdmittedHandler): void {
    const connection = this.connections.get(res.req.socket) ?? this.open(res.req.socket);
    connection.admit(res, handle);
  }

  /**
   * An upgrade request arrived: the connection has left HTTP/1.1 and its deadlines, and counts as
   * in flight until it closes. Answers its bytes not yet counted to a request.
   */
  detach(socket: Duplex): ByteCount {
    const connection = this.connections.get(socket);
    connection?.detach();
    this.trackUpgrade(socket);
    return connection?.bytes ?? ByteCount.of(socket);
  }

  /** The bytes of an HTTP/2 connection not yet counted to a stream: streams take them as they finish. */
  sessionBytes(session: Http2Session): ByteCount {
    return this.sessions.get(session) ?? ByteCount.ofSession(session);
  }

  /** Counts a request until its response closes (for requests not admitted on a connection). */
  trackResponse(res: ServerResponse): void {
    this.started();
    res.once("close", this.ended);
  }

  private started(): void {
    this.inFlight += 1;
  }

  private readonly ended = (): void => {
    this.inFlight -= 1;
    this.settled();
  };

  /** Counts a websocket (or other upgraded) connection until it closes. */
  private trackUpgrade(socket: Duplex): void {
    this.upgraded.add(socket);
    socket.once("close", () => {
      this.upgraded.delete(socket);
      this.settled();
    });
  }

  /** Stop accepting; resolves once nothing is in flight (the caller adds the time cap). */
  startDraining(): Promise<void> {
    this.draining = true;
    this.closeIdle();
    return new Promise((resolve) => {
      if (this.activeCount === 0) resolve();
      else this.idleWaiters.push(resolve);
    });
  }

  /** Cuts whatever is still open. */
  destroyAll(): void {
    for (const session of this.sessions.keys()) session.destroy();
    for (const socket of [...this.upgraded, ...this.sockets, ...this.connections.keys()]) socket.destroy();
  }

  /**
   * An HTTP/2 connection that stays quiet for the keep-alive time is closed (GOAWAY), gracefully:
   * streams still open finish first. Without it a client could hold sessions open for nothing.
   */
  private openSession(session: ServerHttp2Session, idleMs: number): void {
    this.sessions.set(session, ByteCount.ofSession(session));
    session.setTimeout(idleMs, () => session.close());
    session.on("error", () => undefined);
    session.once("close", () => this.sessions.delete(session));
    if (this.draining) session.close();
  }

  private open(socket: Duplex): ClientConnection {
    const existing = this.connections.get(socket);
    if (existing !== undefined) return existing;
    const connection = new ClientConnection(socket, {
      headersTimeoutMs: this.headersTimeoutMs,
      onHeadersTimeout: (timedOut) => writeRawErrorResponse(timedOut, 408),
      onStart: () => this.started(),
      onEnd: this.ended,
    });
    this.connections.set(socket, connection);
    socket.once("close", () => {
      this.connections.delete(socket);
      connection.detach();
    });
    return connection;
  }

  private settled(): void {
    if (!this.draining) return;
    // A keep-alive connection whose last response just finished is idle now: close it.
    setImmediate(() => this.closeIdle());
    if (this.activeCount === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Node's closeIdleConnections() knows only connections of servers that listen(); these are all. */
  private closeIdle(): void {
    for (const [socket, connection] of this.connections) if (connection.idle) endSocket(socket, "");
    for (const session of this.sessions.keys()) if (!session.closed) session.close();
  }
}
